// What a commit would add, from one `git diff --cached` with unlimited context: for
// each staged file its blob id, the line numbers (in the staged version) the commit
// adds, and, for text files, the whole staged content (every context and added
// line), so the pre-commit check needs no second git process unless a file is binary
// or too large to hold. Paths come from the same call's raw listing (-z: bytes as
// they are, no prefix, no quoting), so no diff.* setting can change or hide them.
// The output is parsed as it streams, byte by byte, never held whole nor cut into
// line strings. Files over WHOLE_FILE_LIMIT are left out of that patch (git takes
// them as binary, core.bigFileThreshold): diffing a new 190 MB file took git 5 s of
// CPU to write 200 MB of patch. Such a file is searched from its blob, in chunks.
import { spawn } from 'node:child_process';
import { gitFailure, gitSpawnError } from './run.js';
import { WHOLE_FILE_LIMIT } from '../scan/read-file.js';

/** Line numbers as sorted runs: a file of millions of added lines keeps two numbers, not a set entry each. */
export class LineRuns {
  /** start, end (exclusive), start, end, … */
  private readonly bounds: number[] = [];

  /** Adds `line`, which is above every line added before (a patch goes down its file). */
  add(line: number): void {
    const n = this.bounds.length;
    if (n > 0 && this.bounds[n - 1] === line) this.bounds[n - 1] = line + 1;
    else this.bounds.push(line, line + 1);
  }

  has(line: number): boolean {
    // The first run starting above `line`; the one before it holds `line` or none does.
    let lo = 0;
    let hi = this.bounds.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.bounds[2 * mid]! <= line) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && line < this.bounds[2 * lo - 1]!;
  }
}

export interface StagedFile {
  path: string;
  blob: string;
  /** Added line numbers in the staged version; null when every line counts (binary files). */
  added: LineRuns | null;
  /** The staged content, when the diff shows all of it (text files); else read the blob. */
  content: Buffer | null;
  /** A file over WHOLE_FILE_LIMIT: its content was not kept, its blob is searched in chunks. */
  large?: true;
  /** The commit adds the file whole: nothing of it is in HEAD (not a rename, copy or change). */
  whole?: true;
}

/** Files over this size are binary to the first diff: no patch written nor read (see stagedFiles). */
const BIG_FILE = ['-c', `core.bigFileThreshold=${WHOLE_FILE_LIMIT}`];

const DIFF_ARGS = [
  // The user's configuration must not shape the output the parser reads: blank context
  // lines keep their ' ', and command-line options below override every other setting
  // (diff.relative, diff.noprefix, diff.mnemonicPrefix, color, diff.external, diff.renames).
  '-c', 'diff.suppressBlankEmpty=false',
  'diff', '--cached', '--raw', '-z', '--patch', '--no-abbrev', '--full-index',
  '--no-relative', '--src-prefix=a/', '--dst-prefix=b/', '--no-color', '--no-ext-diff', '--no-textconv',
  '--submodule=short', '-M', '--unified=2147483647', '--diff-filter=ACMRT',
];

/** GIT_DIFF_OPTS=-u0 would override --unified and cut the staged content short. */
function diffEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.GIT_DIFF_OPTS;
  return env;
}

/** One file of the raw listing: `:srcmode dstmode src dst status`, then its path(s). */
interface RawEntry {
  path: string;
  mode: string;
  src: string;
  dst: string;
}

/** The raw entry at `pos` and where the next starts, or null when `buf` ends before it does. */
function rawEntry(buf: Buffer, pos: number): { entry: RawEntry; next: number } | null {
  const headerEnd = buf.indexOf(0, pos);
  if (headerEnd === -1) return null;
  const [, mode, src, dst, status] = buf.toString('latin1', pos, headerEnd).split(' ') as [string, string, string, string, string];
  // Renames and copies name the source first, then the staged path.
  let pathStart = headerEnd + 1;
  if (status.startsWith('R') || status.startsWith('C')) {
    const sourceEnd = buf.indexOf(0, pathStart);
    if (sourceEnd === -1) return null;
    pathStart = sourceEnd + 1;
  }
  const pathEnd = buf.indexOf(0, pathStart);
  if (pathEnd === -1) return null;
  return { entry: { path: buf.toString('utf8', pathStart, pathEnd), mode, src, dst }, next: pathEnd + 1 };
}

interface Section {
  blob: string;
  added: LineRuns | null;
  /** The new side's lines, each with its newline, while they fit WHOLE_FILE_LIMIT; null past it. */
  content: Buffer | null;
  size: number;
  /** Whether the new side ends without a newline ("\ No newline at end of file"). */
  noFinalNewline: boolean;
  /** The side the last content line belonged to, which a "\ No newline" marker refers to. */
  lastSide: 'new' | 'old' | null;
}

/** Bytes kept of a header line (`diff --git`, `index`, `@@`): enough for what is read of them. */
const HEADER_KEPT = 4096;
const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)/;

/**
 * The patch's file sections (new blob, added lines and content; no paths needed),
 * fed as it comes. A line's first byte says what it is: content is copied as it
 * passes, whatever its length; of other lines only the start is kept.
 */
class PatchParser {
  readonly sections: Section[] = [];
  private current: Section | null = null;
  private inHunk = false;
  private newLine = 0;
  private atLineStart = true;
  /** What the line being read is: new-side content (copied), skipped, or a header (kept). */
  private kind: 'content' | 'skip' | 'header' = 'header';
  private readonly header = Buffer.alloc(HEADER_KEPT);
  private headerLength = 0;

  push(buf: Buffer, from = 0): void {
    let pos = from;
    while (pos < buf.length) {
      if (this.atLineStart) {
        this.atLineStart = false;
        this.begin(buf[pos]!);
        if (this.kind !== 'header') pos++;
        if (pos === buf.length) break;
      }
      const nl = buf.indexOf(0x0a, pos);
      const end = nl === -1 ? buf.length : nl;
      if (this.kind === 'content') this.append(buf, pos, nl === -1 ? end : end + 1);
      else if (this.kind === 'header') this.keep(buf, pos, end);
      pos = end;
      if (nl !== -1) {
        pos++;
        this.endLine();
      }
    }
  }

  end(): Section[] {
    if (!this.atLineStart) this.endLine();
    return this.sections;
  }

  /** A line starts with `tag`: inside a hunk, +/- lines are content (an added "++ x" reads "+++ x"), not headers. */
  private begin(tag: number): void {
    const section = this.current;
    this.kind = 'header';
    if (!section || !this.inHunk) return;
    if (tag === 0x20 /* ' ' */ || tag === 0x2b /* + */) {
      if (tag === 0x2b) section.added?.add(this.newLine);
      this.newLine++;
      section.lastSide = 'new';
      this.kind = 'content';
    } else if (tag === 0x2d /* - */) {
      section.lastSide = 'old';
      this.kind = 'skip';
    } else if (tag === 0x5c /* \ */) {
      if (section.lastSide === 'new') section.noFinalNewline = true;
      this.kind = 'skip';
    }
  }

  private append(buf: Buffer, from: number, to: number): void {
    const section = this.current!;
    if (!section.content) return;
    const size = section.size + to - from;
    if (size > WHOLE_FILE_LIMIT) {
      section.content = null;
      return;
    }
    if (size > section.content.length) {
      const grown = Buffer.allocUnsafe(Math.min(WHOLE_FILE_LIMIT, Math.max(size, 2 * section.content.length)));
      section.content.copy(grown, 0, 0, section.size);
      section.content = grown;
    }
    buf.copy(section.content, section.size, from, to);
    section.size = size;
  }

  private keep(buf: Buffer, from: number, to: number): void {
    this.headerLength += buf.copy(this.header, this.headerLength, from, Math.min(to, from + HEADER_KEPT - this.headerLength));
  }

  private endLine(): void {
    this.atLineStart = true;
    if (this.kind !== 'header') return;
    const line = this.header.toString('latin1', 0, this.headerLength);
    this.headerLength = 0;
    if (line.startsWith('diff --git ')) {
      this.current = { blob: '', added: new LineRuns(), content: Buffer.allocUnsafe(1024), size: 0, noFinalNewline: false, lastSide: null };
      this.sections.push(this.current);
      this.inHunk = false;
      return;
    }
    const section = this.current;
    if (!section) return;
    if (this.inHunk) {
      if (line.startsWith('@@ ')) this.newLine = Number(HUNK.exec(line)?.[1] ?? 1);
      return;
    }
    if (line.startsWith('index ')) {
      section.blob = /^index [0-9a-f]+\.\.([0-9a-f]+)/.exec(line)?.[1] ?? '';
    } else if (line.startsWith('Binary files ')) {
      section.added = null;
    } else if (line.startsWith('@@ ')) {
      this.inHunk = true;
      this.newLine = Number(HUNK.exec(line)?.[1] ?? 1);
    }
  }
}

/** The output of DIFF_ARGS, fed as it comes: the raw listing, then the patch. */
export class StagedDiffParser {
  private readonly entries: RawEntry[] = [];
  /** The raw listing's unparsed bytes (an entry cut by a chunk's end); null once the patch began. */
  private raw: Buffer | null = Buffer.alloc(0);
  private readonly patch = new PatchParser();

  push(chunk: Buffer): void {
    if (!this.raw) {
      this.patch.push(chunk);
      return;
    }
    const buf = this.raw.length > 0 ? Buffer.concat([this.raw, chunk]) : chunk;
    let pos = 0;
    while (pos < buf.length && buf[pos] === 0x3a /* : */) {
      const read = rawEntry(buf, pos);
      if (!read) break;
      this.entries.push(read.entry);
      pos = read.next;
    }
    if (pos === buf.length || buf[pos] === 0x3a) {
      // Copied: the rest of a chunk would keep the whole chunk alive.
      this.raw = Buffer.from(buf.subarray(pos));
      return;
    }
    this.raw = null;
    // An empty record ends the raw listing.
    this.patch.push(buf, buf[pos] === 0 ? pos + 1 : pos);
  }

  end(): StagedFile[] {
    const sections = this.patch.end();
    // Each entry has its section, in the same order; one whose blob is unchanged (a pure
    // rename, a mode change) has no `index` line and adds no content: its key, if any, is
    // in HEAD already, but its name may be new, so it is kept with nothing to read. A
    // section whose blob disagrees with its entry is read whole, every line counted,
    // rather than trusted.
    const files: StagedFile[] = [];
    this.entries.forEach((entry, i) => {
      if (entry.mode === SUBMODULE || /^0+$/.test(entry.dst)) return;
      if (entry.src === entry.dst) {
        files.push({ path: entry.path, blob: entry.dst, added: new LineRuns(), content: Buffer.alloc(0) });
        return;
      }
      const section = sections[i];
      if (!section || section.blob !== entry.dst) {
        files.push({ path: entry.path, blob: entry.dst, added: null, content: null });
        return;
      }
      const file: StagedFile = { path: entry.path, blob: entry.dst, added: section.added, content: null, ...(/^0+$/.test(entry.src) ? { whole: true as const } : {}) };
      // With unlimited context one hunk holds the whole new file.
      if (section.added && section.size > 0) {
        if (section.content) file.content = section.content.subarray(0, section.noFinalNewline ? section.size - 1 : section.size);
        else file.large = true;
      }
      files.push(file);
    });
    return files;
  }
}

const SUBMODULE = '160000';

/** The output of `git <args>`, fed to a new parser as it streams. */
function parseDiff(cwd: string, args: string[]): Promise<StagedFile[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: diffEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const parser = new StagedDiffParser();
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => parser.push(chunk));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => reject(gitSpawnError(e)));
    child.on('close', (code) => {
      if (code === 0) resolve(parser.end());
      else reject(gitFailure(Buffer.concat(err).toString('utf8'), args));
    });
  });
}

/** The sizes of objects, in order, from one `git cat-file --batch-check`. */
function objectSizes(cwd: string, ids: string[]): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const args = ['cat-file', '--batch-check=%(objectsize)'];
    const child = spawn('git', args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => undefined);
    child.on('error', (e: NodeJS.ErrnoException) => reject(gitSpawnError(e)));
    child.on('close', (code) => {
      if (code !== 0) reject(gitFailure(Buffer.concat(err).toString('utf8'), args));
      // A missing object reads `<id> missing`: not a number, so not large; reading it says it is missing.
      else resolve(Buffer.concat(out).toString('latin1').split('\n').slice(0, ids.length).map(Number));
    });
    child.stdin.end(ids.map((id) => `${id}\n`).join(''));
  });
}

/**
 * What the commit stages. Files the diff took as binary are sized (one more git process,
 * only then); one over WHOLE_FILE_LIMIT is `large`, and, unless the commit adds it
 * whole, its added lines come from a diff of that file alone with no size limit, parsed
 * as it streams with its content dropped. That diff pairs no rename: a large file both
 * renamed and changed counts every line.
 */
export async function stagedFiles(cwd: string): Promise<StagedFile[]> {
  const files = await parseDiff(cwd, [...BIG_FILE, ...DIFF_ARGS]);
  const unsized = files.filter((f) => !f.content);
  if (unsized.length === 0) return files;
  const sizes = await objectSizes(cwd, unsized.map((f) => f.blob));
  for (const [i, file] of unsized.entries()) {
    if (!(sizes[i]! > WHOLE_FILE_LIMIT)) continue;
    file.large = true;
    if (file.added || file.whole) continue;
    const [alone] = await parseDiff(cwd, [...DIFF_ARGS, '--', `:(literal)${file.path}`]);
    file.added = alone?.blob === file.blob ? alone.added : null;
  }
  return files;
}
