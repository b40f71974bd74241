/**
 * A DNS stand-in for tests: a UDP server on a loopback port answering SRV and MX questions
 * from a table (anything else: NXDOMAIN). Point the resolver at it with MAIL_DISCOVERY_DNS.
 * Only what Node's resolver asks is understood: one question, uncompressed names in answers.
 */
import dgram from 'node:dgram';

export type DnsRecord = { type: 'SRV'; priority: number; weight: number; port: number; target: string } | { type: 'MX'; preference: number; exchange: string };

export interface DnsStandIn {
  address: string;
  /** Names asked, lower case, in order (to check what was looked up). */
  asked: string[];
  set(name: string, records: DnsRecord[]): void;
  close(): Promise<void>;
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([Buffer.byteLength(l)]), Buffer.from(l)]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

function readName(msg: Buffer, offset: number): [string, number] {
  const labels: string[] = [];
  let i = offset;
  while (msg[i] !== 0) {
    const len = msg[i];
    labels.push(msg.subarray(i + 1, i + 1 + len).toString());
    i += len + 1;
  }
  return [labels.join('.'), i + 1];
}

export async function startDns(): Promise<DnsStandIn> {
  const table = new Map<string, DnsRecord[]>();
  const asked: string[] = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    const [name, end] = readName(msg, 12);
    const qtype = msg.readUInt16BE(end);
    const question = msg.subarray(12, end + 4);
    asked.push(`${name.toLowerCase()} ${qtype === 33 ? 'SRV' : qtype === 15 ? 'MX' : qtype}`);
    const records = (table.get(name.toLowerCase()) ?? []).filter((r) => (r.type === 'SRV' ? 33 : 15) === qtype);
    const answers = records.map((r) => {
      const rdata = r.type === 'SRV'
        ? Buffer.concat([Buffer.from([r.priority >> 8, r.priority & 255, r.weight >> 8, r.weight & 255, r.port >> 8, r.port & 255]), encodeName(r.target)])
        : Buffer.concat([Buffer.from([r.preference >> 8, r.preference & 255]), encodeName(r.exchange)]);
      const head = Buffer.alloc(10);
      head.writeUInt16BE(qtype, 0);
      head.writeUInt16BE(1, 2);
      head.writeUInt32BE(60, 4);
      head.writeUInt16BE(rdata.length, 8);
      return Buffer.concat([encodeName(name), head, rdata]);
    });
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2); // id
    header.writeUInt16BE(0x8180 | (answers.length || table.has(name.toLowerCase()) ? 0 : 3), 2); // response, RD, RA; NXDOMAIN when unknown
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    socket.send(Buffer.concat([header, question, ...answers]), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  return {
    address: `127.0.0.1:${port}`,
    asked,
    set(name, records) {
      table.set(name.toLowerCase(), records);
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
