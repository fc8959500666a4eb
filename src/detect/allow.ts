// Allow comments: a key is accepted where the user marked it, on its own line
// (`spreeflo-scan:allow`) or, for formats with no comment after a value (JSON, a YAML
// block, a .env file some parsers read whole), on the line above
// (`spreeflo-scan:allow-next-line`). Any text holding the marker counts: JSON has no
// comments, so `"//": "spreeflo-scan:allow-next-line"` is the way there.

export const ALLOW_MARKER = 'spreeflo-scan:allow';
export const ALLOW_NEXT_LINE_MARKER = 'spreeflo-scan:allow-next-line';

const NEXT_LINE_BYTES = Buffer.from(ALLOW_NEXT_LINE_MARKER);
// The next-line form on a key's own line speaks of the line below, not of this one.
const OWN_LINE = /spreeflo-scan:allow(?!-next-line)/;

/** Whether a line allows a key on itself. */
export function allowsOwnLine(line: string): boolean {
  return OWN_LINE.test(line);
}

/** Whether the bytes of a line allow a key on the line below. */
export function allowsNextLine(line: Buffer): boolean {
  return line.includes(NEXT_LINE_BYTES);
}
