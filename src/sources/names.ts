// How file names are printed in every report: a name may hold any byte but `/`, and
// none of them may break a report's lines or be lost. Control characters are written
// as escapes (`\n`, `\r`, `\t`, `\x01`, `\x7f`, `\u0085`, `\u2028`), and so are the bidi
// controls (`\u202e`, `\u2066`), which make a name read as another on screen; a byte that
// is not part of valid UTF-8 as `\xNN` (80 to ff, so never one of the controls' escapes).
// A backslash is printed as it is: common names stay as they are, at the cost of a
// name holding `\n` literally reading like one holding a newline.
import { isUtf8 } from 'node:buffer';

const CONTROLS = '\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029';
/** Bidi marks, embeddings, overrides and isolates: they reorder the text around them on screen. */
const BIDI = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const CONTROL = new RegExp(`[${CONTROLS}${BIDI}]`, 'g');
/**
 * Names the walk takes by their bytes: U+FFFD, which is what a byte that is not UTF-8
 * decodes to (the string has lost it), and control characters (walked the same way,
 * as they always were, so their reported form does not depend on the walk).
 */
export const NOT_PLAIN = new RegExp(`[${CONTROLS}\\ufffd]`);

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeControl(c: string): string {
  const code = c.charCodeAt(0);
  return SHORT[c] ?? (code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** A path (already a string) as reports print it. */
export function printable(path: string): string {
  return path.replace(CONTROL, escapeControl);
}

/** Bytes in the UTF-8 sequence `lead` starts (0: `lead` starts none). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** A file name read as bytes, as reports print it. */
export function printableName(name: Buffer): string {
  if (isUtf8(name)) return printable(name.toString('utf8'));
  let out = '';
  let run = 0;
  let i = 0;
  while (i < name.length) {
    const length = sequenceLength(name[i]!);
    if (length && isUtf8(name.subarray(i, i + length))) {
      i += length;
      continue;
    }
    out += printable(name.toString('utf8', run, i)) + `\\x${name[i]!.toString(16).padStart(2, '0')}`;
    run = ++i;
  }
  return out + printable(name.toString('utf8', run));
}
