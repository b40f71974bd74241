/**
 * Last-resort body recovery for messages mailparser could not split (a multipart message whose
 * declared boundary never appears, so every part is dropped as preamble).
 *
 * From the raw source: skip the top-level header block, drop MIME delimiter lines, part header
 * blocks and base64-looking lines, undo quoted-printable when a part declared it, and decode
 * bytes as UTF-8, falling back to Latin-1 when they are not valid UTF-8. The result is
 * approximate and meant for classification only (the reasons say it was salvaged).
 */

const PART_HEADER_RE = /^(?:content-[a-z-]+|mime-version)\s*:/i;
const DELIMITER_RE = /^--[^\s]{2,}\s*$/;
const BASE64_LINE_RE = /^[A-Za-z0-9+/]{40,}={0,2}$/;

function decodeBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

function decodeQuotedPrintable(lines: string[]): string {
  const joined = lines.join('\n').replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i);
    if (c === 61 /* = */ && /^[0-9A-Fa-f]{2}$/.test(joined.slice(i + 1, i + 3))) {
      bytes.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 256) {
      bytes.push(c);
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return decodeBytes(Uint8Array.from(bytes));
}

/** Recovers readable text from a raw message whose MIME structure is broken. Never throws. */
export function salvageBodyFromRaw(raw: Buffer | string): string {
  try {
    const buf = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
    // Work on a byte-preserving string (latin1), decode text at the end.
    const src = buf.toString('latin1').replace(/\r\n?/g, '\n');
    const split = src.indexOf('\n\n');
    if (split < 0) return '';
    const lines = src.slice(split + 2).split('\n');
    const chunks: string[] = [];
    let current: string[] = [];
    let qp = false;
    let inPartHeaders = false;
    const flush = (): void => {
      if (current.length) {
        chunks.push(qp ? decodeQuotedPrintable(current) : decodeBytes(Buffer.from(current.join('\n'), 'latin1')));
      }
      current = [];
    };
    for (const line of lines) {
      if (DELIMITER_RE.test(line)) {
        flush();
        inPartHeaders = true;
        qp = false;
        continue;
      }
      if (inPartHeaders) {
        if (line.trim() === '') {
          inPartHeaders = false;
          continue;
        }
        if (/^content-transfer-encoding\s*:\s*quoted-printable/i.test(line)) qp = true;
        if (PART_HEADER_RE.test(line) || /^[ \t]/.test(line)) continue;
        inPartHeaders = false;
      }
      if (BASE64_LINE_RE.test(line.trim())) continue;
      current.push(line);
    }
    flush();
    return chunks
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  } catch {
    return '';
  }
}
