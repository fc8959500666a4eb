// Just enough of PDF's object syntax to read a dictionary from the raw bytes: names,
// numbers, references, strings, arrays, nested dictionaries, comments.

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)));

export type Value = { kind: 'name'; name: string } | { kind: 'int'; n: number } | { kind: 'string'; bytes: Buffer } | { kind: 'ref'; id: string } | { kind: 'array'; items: Value[] } | { kind: 'dict'; keys: Map<string, { at: number; value: Value }> } | { kind: 'other' };

export function skipSpace(b: Buffer, i: number): number {
  while (i < b.length) {
    if (WS.has(b[i]!)) i++;
    else if (b[i] === 0x25) while (i < b.length && b[i] !== 0x0a && b[i] !== 0x0d) i++;
    else break;
  }
  return i;
}

function token(b: Buffer, i: number): number {
  while (i < b.length && !WS.has(b[i]!) && !DELIM.has(b[i]!)) i++;
  return i;
}

/** One value at `i` (after white space); its end, or -1 when it is not well formed. */
export function parseValue(b: Buffer, i: number, depth = 0): { value: Value; end: number } | null {
  if (depth > 32) return null;
  i = skipSpace(b, i);
  const c = b[i];
  if (c === undefined) return null;
  if (c === 0x2f) {
    const end = token(b, i + 1);
    return { value: { kind: 'name', name: b.toString('latin1', i + 1, end) }, end };
  }
  if (c === 0x3c && b[i + 1] === 0x3c) {
    const keys = new Map<string, { at: number; value: Value }>();
    let j = skipSpace(b, i + 2);
    while (j < b.length && !(b[j] === 0x3e && b[j + 1] === 0x3e)) {
      const key = parseValue(b, j, depth + 1);
      if (!key || key.value.kind !== 'name') return null;
      const val = parseValue(b, key.end, depth + 1);
      if (!val) return null;
      keys.set(key.value.name, { at: skipSpace(b, j), value: val.value });
      j = skipSpace(b, val.end);
    }
    return j < b.length ? { value: { kind: 'dict', keys }, end: j + 2 } : null;
  }
  if (c === 0x3c) {
    const end = b.indexOf(0x3e, i);
    if (end < 0) return null;
    const hex = b.toString('latin1', i + 1, end).replace(/[^0-9A-Fa-f]/g, '');
    return { value: { kind: 'string', bytes: Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex') }, end: end + 1 };
  }
  if (c === 0x5b) {
    const items: Value[] = [];
    let j = skipSpace(b, i + 1);
    while (j < b.length && b[j] !== 0x5d) {
      const v = parseValue(b, j, depth + 1);
      if (!v) return null;
      items.push(v.value);
      j = skipSpace(b, v.end);
    }
    return j < b.length ? { value: { kind: 'array', items }, end: j + 1 } : null;
  }
  if (c === 0x28) return literalString(b, i);
  const end = token(b, i);
  if (end === i) return null;
  const word = b.toString('latin1', i, end);
  if (/^\d+$/.test(word)) {
    // `12 0 R` is one value, a reference.
    const m = /^\s+(\d+)\s+R(?![^\s()<>[\]{}/%])/.exec(b.toString('latin1', end, end + 24));
    if (m) return { value: { kind: 'ref', id: `${word} ${m[1]}` }, end: end + m[0].length };
  }
  if (/^[+-]?\d+$/.test(word)) return { value: { kind: 'int', n: Number(word) }, end };
  return { value: { kind: 'other' }, end };
}

const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };

function literalString(b: Buffer, i: number): { value: Value; end: number } | null {
  const out: number[] = [];
  let nest = 0;
  for (let j = i; j < b.length; j++) {
    const c = b[j]!;
    if (c === 0x5c) {
      const e = String.fromCharCode(b[++j] ?? 0);
      const octal = /^[0-7]{1,3}/.exec(b.toString('latin1', j, j + 3))?.[0];
      if (octal) {
        out.push(parseInt(octal, 8) & 255);
        j += octal.length - 1;
      } else if (e === '\r' || e === '\n') {
        if (e === '\r' && b[j + 1] === 0x0a) j++;
      } else out.push(ESCAPES[e] ?? e.charCodeAt(0));
      continue;
    }
    if (c === 0x28 && nest++ === 0) continue;
    if (c === 0x29 && --nest === 0) return { value: { kind: 'string', bytes: Buffer.from(out) }, end: j + 1 };
    out.push(c);
  }
  return null;
}

/** Every `N G obj` header in the file: the object's `N G` and where its value starts. */
export function* objectHeaders(text: string): Generator<{ id: string; at: number }> {
  for (const m of text.matchAll(/(?<![0-9])(\d+)\s+(\d+)\s+obj(?![^\s()<>[\]{}/%])/g)) yield { id: `${m[1]} ${m[2]}`, at: m.index + m[0].length };
}

/** Where each object's value starts, by `N G` (the last of its versions, as the newest cross-reference section has it). */
export function objectIndex(text: string): Map<string, number> {
  const index = new Map<string, number>();
  for (const { id, at } of objectHeaders(text)) index.set(id, at);
  return index;
}

/** The value a reference points to (or `v` itself when it is not one). */
export function resolve(b: Buffer, index: Map<string, number>, v: Value | undefined): Value | undefined {
  if (v?.kind !== 'ref') return v;
  const at = index.get(v.id);
  return at === undefined ? undefined : parseValue(b, at)?.value;
}
