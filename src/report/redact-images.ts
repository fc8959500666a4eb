// `scan --write-redacted DIR`: for every leaking picture FILE (a standalone image,
// not a picture inside a document or video), a copy at DIR/<path as reported>
// with every key box filled solid (padded a few pixels; not blurred: a blur can
// be undone), everything else unchanged, in the same format and dimensions.
// The originals are never written: DIR may not overlap anything scanned.
import { mkdirSync, realpathSync, statSync } from 'node:fs';
import { writePrivateFile } from './write-file.js';
import { within } from '../paths.js';
import { readFile } from 'node:fs/promises';
import { dirname, join, normalize, resolve, sep } from 'node:path';
import sharp from 'sharp';
import type { Finding } from '../finding.js';
import { isImagePath, isPngTextEntry } from '../formats/kinds.js';
import { UsageError } from '../errors.js';
import { fillBoxes, type Box } from './thumbnail.js';

sharp.cache(false);

export interface RedactedCopy {
  /** The finding's path (as the report shows it). */
  path: string;
  written: string;
  boxes: number;
}

export interface RedactOutcome {
  written: RedactedCopy[];
  failed: { path: string; reason: string }[];
}

/** The real path of `p`, or of its deepest existing ancestor joined with the rest (DIR need not exist yet). */
function realish(p: string): string {
  const abs = resolve(p);
  let head = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...rest.reverse());
    } catch {
      const up = dirname(head);
      if (up === head) return abs;
      rest.push(head.slice(up.length).replace(/^[\\/]+/, ''));
      head = up;
    }
  }
}


/**
 * Refuses (exit 2) an output folder that overlaps what is scanned: the scanned
 * folder itself, a folder inside it, or a folder containing it (or a scanned
 * file). Any of those could put a redacted copy where an original is, or make
 * the copies part of the next scan of the originals.
 */
export function checkRedactDir(dir: string, roots: string[]): void {
  const out = realish(dir);
  for (const root of roots) {
    const r = realish(root);
    let isDir = false;
    try {
      isDir = statSync(r).isDirectory();
    } catch {
      // a missing root fails the scan elsewhere
    }
    if ((isDir && (within(out, r) || within(r, out))) || (!isDir && within(r, out))) {
      throw new UsageError(
        `--write-redacted ${dir}: must be outside what is scanned (it overlaps ${root}); pick a folder elsewhere, e.g. ../redacted`,
      );
    }
  }
  try {
    if (!statSync(out).isDirectory()) throw new UsageError(`--write-redacted ${dir}: not a folder`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
  }
}

/** A reported path as a path inside DIR: no leading `/`, no `..` (paths of files outside the current folder). */
export function copyPathFor(path: string): string {
  const parts = normalize(path.replace(/\\/g, '/')).split(/[\\/]+/).filter((p) => p !== '' && p !== '.' && p !== '..');
  return parts.join(sep);
}

/** The picture with every box filled, same format and dimensions, without metadata (where keys can hide too). */
export async function redactImage(image: Buffer, boxes: Box[]): Promise<Buffer> {
  const meta = await sharp(image, { failOn: 'error', limitInputPixels: false }).metadata();
  if ((meta.pages ?? 1) > 1) throw new Error('multi-page or animated image: not redacted');
  const format = meta.format;
  if (!format || !meta.width || !meta.height) throw new Error('not an image sharp can read');
  const { data, info } = await sharp(image, { failOn: 'error', limitInputPixels: false }).raw().toBuffer({ resolveWithObject: true });
  fillBoxes(data, info, boxes);
  const out = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  switch (format) {
    case 'png':
      return out.png({ compressionLevel: 9 }).toBuffer();
    case 'jpeg':
      // JPEG is lossy: re-encoding changes pixels outside the boxes by a few levels at most.
      return out.jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer();
    case 'webp':
      return out.webp({ lossless: true }).toBuffer();
    case 'gif':
      // GIF is re-quantised to a palette: colours outside the boxes stay, or move by a level.
      return out.gif().toBuffer();
    case 'tiff':
      return out.tiff({ compression: 'lzw' }).toBuffer();
    default:
      // BMP and others sharp reads but does not write.
      throw new Error(`sharp cannot write ${format} images`);
  }
}

export interface RedactRequest {
  /** Findings after filters; suppressed findings' boxes are filled too. */
  findings: Finding[];
  suppressed: Finding[];
  /** The file on disk behind a reported path. */
  locate: (path: string) => string;
  /** A reported path as the copy is named: a name that holds a key is masked, or the copy would leak it. */
  copyName: (path: string) => string;
  dir: string;
}

/**
 * Writes the redacted copies. A picture file is copied when a kept finding is in
 * it (in its pixels or its bytes: metadata is dropped from every copy); every box
 * found in it, suppressed or not, is filled.
 */
export async function writeRedactedCopies(req: RedactRequest): Promise<RedactOutcome> {
  // A key in a PNG text chunk is in the picture file itself, whatever its name.
  const standalone = (f: Finding) =>
    f.path !== null &&
    f.page === undefined &&
    f.time === undefined &&
    (f.entry === undefined ? f.source === 'image' || isImagePath(f.path) : isPngTextEntry(f.entry));
  const leaking = new Set(req.findings.filter(standalone).map((f) => f.path!));
  const outcome: RedactOutcome = { written: [], failed: [] };
  const outDir = resolve(req.dir);
  for (const path of [...leaking].sort()) {
    const boxes = [...req.findings, ...req.suppressed].filter((f) => f.path === path && standalone(f) && f.box).map((f) => f.box!);
    const source = resolve(req.locate(path));
    const target = join(outDir, copyPathFor(req.copyName(path)));
    try {
      if (!within(target, outDir) || target === outDir) throw new Error('path outside the output folder');
      if (realish(target) === realish(source)) throw new Error('would overwrite the original');
      const copy = await redactImage(await readFile(source), boxes);
      mkdirSync(dirname(target), { recursive: true });
      // A symlinked folder inside the output folder must not carry the copy elsewhere.
      if (!within(realpathSync(dirname(target)), realpathSync(outDir))) throw new Error('a symbolic link leads out of the output folder');
      writePrivateFile(target, copy, []);
      outcome.written.push({ path, written: target, boxes: boxes.length });
    } catch (err) {
      outcome.failed.push({ path, reason: (err as Error).message });
    }
  }
  return outcome;
}

/** Lines for the report's notes and stderr. */
export function describeOutcome(outcome: RedactOutcome, dir: string): string[] {
  const lines: string[] = [];
  if (outcome.written.length === 0 && outcome.failed.length === 0) {
    lines.push(`--write-redacted: no leaking image files, nothing written to ${dir}`);
  }
  for (const w of outcome.written) {
    lines.push(`redacted copy written: ${w.written} (${w.boxes} key ${w.boxes === 1 ? 'box' : 'boxes'} filled; original ${w.path} unchanged)`);
  }
  for (const f of outcome.failed) lines.push(`redacted copy NOT written for ${f.path}: ${f.reason}`);
  return lines;
}
