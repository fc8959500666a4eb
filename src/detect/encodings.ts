// Keys hidden in other encodings: base64 (Kubernetes Secrets, basic-auth headers,
// env files pasted into CI variables) and UTF-16 text (Windows editors, PowerShell).

/**
 * The base64 text that any encoding of one of `literals` (all of one length) must
 * contain, for each of the three byte alignments. Characters that mix in bits of the
 * unknown neighbouring bytes, or that differ between the alternatives, are left out,
 * so each anchor is a substring of every base64 text holding one of the literals.
 */
export function base64Anchors(literals: string[]): string[] {
  const anchors: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encodings = literals.flatMap((literal) =>
      [0x00, 0xff].map((fill) =>
        Buffer.concat([Buffer.alloc(shift, fill), Buffer.from(literal, 'latin1'), Buffer.alloc(2, fill)]).toString('base64'),
      ),
    );
    const first = encodings[0]!;
    let best = '';
    let run = '';
    for (let i = 0; i < first.length; i++) {
      run = encodings.every((e) => e[i] === first[i]) ? run + first[i] : '';
      if (run.length > best.length) best = run;
    }
    if (best.length >= 3) anchors.push(best);
  }
  return anchors;
}

const B64_CHAR = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') B64_CHAR[c.charCodeAt(0)] = 1;

export interface Base64Run {
  start: number;
  end: number;
}

/** The maximal base64 run (with trailing padding) around byte `at`. */
export function base64RunAround(buf: Buffer, at: number): Base64Run {
  let start = at;
  while (start > 0 && B64_CHAR[buf[start - 1]!]) start--;
  let end = at;
  while (end < buf.length && B64_CHAR[buf[end]!]) end++;
  for (let pad = 0; pad < 2 && buf[end] === 0x3d /* = */; pad++) end++;
  return { start, end };
}

export type Utf16Encoding = 'utf-16le' | 'utf-16be';

/** Recognises UTF-16 by its byte-order mark, or by zero bytes in every other position. */
export function sniffUtf16(buf: Buffer): Utf16Encoding | null {
  if (buf.length >= 2) {
    if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
    if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  }
  const n = Math.min(buf.length, 4096) & ~1;
  // Text without a zero byte at its start is not UTF-16; memchr says so cheaply.
  if (n < 16 || buf.subarray(0, n).indexOf(0) === -1) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (buf[i] === 0) evenZero++;
    if (buf[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/** UTF-16 text re-encoded as UTF-8, so one byte-level scan serves every encoding. */
export function utf16ToUtf8(buf: Buffer, enc: Utf16Encoding): Buffer {
  const text = new TextDecoder(enc).decode(buf);
  return Buffer.from(text, 'utf8');
}
