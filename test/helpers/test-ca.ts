/**
 * A test certification authority made with the `openssl` CLI (node:crypto cannot make X.509
 * certificates): an authority certificate, and server certificates it signs for given names.
 * Stands for the administration's own authority, whose certificates Node does not trust.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface TestCa extends KeyPair {
  /** A server certificate signed by this authority for these names (DNS names or IPs). */
  issue(commonName: string, altNames: string[]): KeyPair;
}

function openssl(args: string[], cwd: string) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export function createTestCa(name = 'AC Test de l’Administration'): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qm-ca-'));
  try {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-utf8', '-subj', `/O=Test/CN=${name}`], dir);
    const certPem = fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8');
    const keyPem = fs.readFileSync(path.join(dir, 'ca.key'), 'utf8');
    return {
      certPem, keyPem,
      issue(commonName, altNames) {
        const d = fs.mkdtempSync(path.join(os.tmpdir(), 'qm-cert-'));
        try {
          fs.writeFileSync(path.join(d, 'ca.pem'), certPem);
          fs.writeFileSync(path.join(d, 'ca.key'), keyPem);
          fs.writeFileSync(path.join(d, 'ext'), `subjectAltName=${altNames.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')}\n`);
          openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', `/CN=${commonName}`], d);
          openssl(['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.pem', '-days', '30', '-extfile', 'ext'], d);
          return { certPem: fs.readFileSync(path.join(d, 'srv.pem'), 'utf8'), keyPem: fs.readFileSync(path.join(d, 'srv.key'), 'utf8') };
        } finally {
          fs.rmSync(d, { recursive: true, force: true });
        }
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
