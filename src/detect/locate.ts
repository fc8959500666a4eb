// Turns byte offsets in a UTF-8 (or Latin-1) buffer into 1-based line and column,
// where the column counts characters of the decoded line, as an editor shows it.

/** Lines up to this long are shown whole in a snippet. */
const SNIPPET_WHOLE_LINE = 2000;
/**
 * Around a key in a longer line (minified bundles, dumps, JSON Lines), this many bytes each
 * side: two terminal lines of context, and a report of 64k keys on one line stays in tens of
 * megabytes (at 500 it took 740 MB as JSON: every snippet is copied several times on its way).
 */
const SNIPPET_RADIUS = 160;

const NEWLINE = 0x0a;

/** Offsets where each line starts (0 first, then after every '\n'), in a string or its bytes. */
export function lineStarts(text: string | Buffer): number[] {
  // A Buffer searched for a byte, not a string: several times faster.
  const next = typeof text === 'string' ? (from: number) => text.indexOf('\n', from) : (from: number) => text.indexOf(NEWLINE, from);
  const starts = [0];
  for (let i = next(0); i !== -1; i = next(i + 1)) starts.push(i + 1);
  return starts;
}

/** Index (0-based) of the line holding `offset`, given the lines' `starts`. */
export function lineIndexOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export class ByteLocator {
  private newlines: number[] | null = null;

  constructor(private readonly buf: Buffer) {}

  private lineStarts(): number[] {
    this.newlines ??= lineStarts(this.buf);
    return this.newlines;
  }

  /** Index of the line holding `offset`, 0-based. */
  private lineIndex(offset: number): number {
    return lineIndexOf(this.lineStarts(), offset);
  }

  /** Offset where the line holding `offset` starts. */
  lineStart(offset: number): number {
    return this.lineStarts()[this.lineIndex(offset)]!;
  }

  /** Bytes `[from, to)` as UTF-8 text. */
  text(from: number, to: number): string {
    return this.buf.toString('utf8', from, to);
  }

  /** The last position located: the next one on the same line counts on from it. */
  private last = { offset: -1, line: 0, column: 0 };

  /**
   * Line and column of `offset`. Keys come in order, so a column is counted on from
   * the key before it on the same line: counting each from the line's start was
   * quadratic (64k keys on one line took minutes).
   */
  locate(offset: number): { line: number; column: number } {
    const idx = this.lineIndex(offset);
    const last = this.last;
    const onLine = last.line === idx + 1 && last.offset <= offset;
    const from = onLine ? last.offset : this.lineStarts()[idx]!;
    const base = onLine ? last.column : 1;
    const column = base + characters(this.buf.toString('utf8', from, offset), offset - from);
    this.last = { offset, line: idx + 1, column };
    return { line: idx + 1, column };
  }

  /** The bytes of the line above the one holding `offset` (without its newline), or null on the first line. */
  lineAbove(offset: number): Buffer | null {
    const starts = this.lineStarts();
    const idx = this.lineIndex(offset);
    return idx === 0 ? null : this.buf.subarray(starts[idx - 1]!, starts[idx]! - 1);
  }

  /** The text of the line around [from, to), whole if short, else a window. */
  lineAround(from: number, to: number): { text: string; offset: number; end: number } {
    const starts = this.lineStarts();
    const idx = this.lineIndex(from);
    let start = starts[idx]!;
    let end = idx + 1 < starts.length ? starts[idx + 1]! - 1 : this.buf.length;
    if (end > start && this.buf[end - 1] === 0x0d) end--;
    if (end - start > SNIPPET_WHOLE_LINE) {
      start = Math.max(start, from - SNIPPET_RADIUS);
      end = Math.min(end, to + SNIPPET_RADIUS);
    }
    return { text: this.buf.toString('utf8', start, end), offset: start, end };
  }
}

/** Characters (code points) in `text`, decoded from `bytes` bytes. */
function characters(text: string, bytes: number): number {
  // As many characters as bytes: no surrogate pair among them, so the length is
  // the count (counting code points one by one cost ~25 ms on a 2 MB minified line).
  if (text.length === bytes) return text.length;
  let count = 0;
  for (const _ of text) count++;
  return count;
}
