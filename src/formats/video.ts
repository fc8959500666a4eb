// Videos (mp4, m4v, mov, webm): screen recordings and tutorials that show a key
// on screen. ffmpeg samples one frame per second (so a key on screen for a
// second or more is always in at least one sample), scaled so the longer side is
// at most 1920 px, as 8-bit grey (the OCR reads grey anyway). A frame that looks
// the same as the last one kept (no 16x16 block changed beyond compression noise)
// is not read again: the kept frame's time range grows instead. Each kept frame
// is a PNG 'image' part with its time range, read by OCR. The file's own bytes
// are searched too (metadata tags can hold keys). See docs/documents.md.
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, extname, join } from 'node:path';
import { makeTempDir, removeTempDir } from '../scan/temp-dirs.js';
import type { ContainerLimits, FormatReader, Part, ReadResult } from './types.js';

/** Seconds between sampled frames. */
export const FRAME_INTERVAL = 1;
/** At most this many distinct frames are read per video; the rest is reported as left out. */
export const MAX_FRAMES = 600;
/** Frames are scaled down so their longer side is at most this (screen text stays readable). */
export const MAX_FRAME_SIDE = 1920;
/** A 16x16 block whose mean absolute grey difference exceeds this has changed. */
const BLOCK = 16;
const BLOCK_CHANGE = 6;

/**
 * ffmpeg is an opt-in (66 MB, more than the rest of the install): without it a video is
 * listed as not read, with the one command that lets it be read.
 */
export const NO_FFMPEG = 'video not read: no ffmpeg (run `npm i @ffmpeg-installer/ffmpeg` beside spreeflo-scan, or put ffmpeg on PATH)';

export interface FfmpegLookup {
  /** `$SPREEFLO_SCAN_FFMPEG`: a binary to use instead of the others. */
  override?: string | undefined;
  /** Whether to look for the npm package (installed by the user, or as the repository's devDependency). */
  npm?: boolean;
  /** `$PATH`. */
  path?: string | undefined;
}

function executable(file: string): boolean {
  try {
    accessSync(file, fsConstants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The npm package's static binary (resolved from where spreeflo-scan is installed, at run time, never bundled), or null. */
function npmFfmpeg(): string | null {
  try {
    const spec = ['@ffmpeg-installer', 'ffmpeg'].join('/');
    const found = (createRequire(import.meta.url)(spec) as { path?: unknown }).path;
    return typeof found === 'string' && executable(found) ? found : null;
  } catch {
    // Not installed (an opt-in), or no build for this platform: the package throws.
    return null;
  }
}

/** Which ffmpeg to run: `$SPREEFLO_SCAN_FFMPEG`, else the npm package's, else `ffmpeg` on PATH. */
export function locateFfmpeg(lookup: FfmpegLookup = {}): { path: string } | { missing: string } {
  const { override, npm = true, path } = lookup;
  if (override) return executable(override) ? { path: override } : { missing: `no ffmpeg at SPREEFLO_SCAN_FFMPEG=${override}` };
  const fromNpm = npm ? npmFfmpeg() : null;
  if (fromNpm) return { path: fromNpm };
  const names = process.platform === 'win32' ? ['ffmpeg.exe'] : ['ffmpeg'];
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const name of names) if (executable(join(dir, name))) return { path: join(dir, name) };
  }
  return { missing: NO_FFMPEG };
}

let located: ReturnType<typeof locateFfmpeg> | null = null;

/** `00:03.0`, or `1:02:03.0` past an hour. */
export function clock(seconds: number): string {
  const tenths = Math.round(seconds * 10);
  const h = Math.floor(tenths / 36000);
  const m = Math.floor((tenths % 36000) / 600);
  const s = ((tenths % 600) / 10).toFixed(1).padStart(4, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${String(m).padStart(2, '0')}:${s}`;
}

interface Frame {
  width: number;
  height: number;
  grey: Buffer;
}

/** Splits ffmpeg's PAM stream (a `P7` header, then width x height grey bytes) into frames. */
class PamReader {
  private chunks: Buffer[] = [];
  private size = 0;
  private frame: { width: number; height: number } | null = null;

  /** Everything buffered, as one buffer (copied together only when needed). */
  private peek(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0]!;
  }

  private take(n: number): Buffer {
    const all = this.peek();
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.size = rest.length;
    return head;
  }

  push(chunk: Buffer): Frame[] {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (!this.frame) {
        const buf = this.peek();
        const end = buf.indexOf('ENDHDR\n');
        if (end < 0) {
          if (buf.length > 4096) throw new Error('unexpected frame data from ffmpeg');
          break;
        }
        const header = buf.toString('latin1', 0, end);
        const field = (name: string) => Number(new RegExp(`\\b${name} (\\d+)`).exec(header)?.[1] ?? NaN);
        const width = field('WIDTH');
        const height = field('HEIGHT');
        if (!header.startsWith('P7') || !(width > 0 && height > 0) || field('DEPTH') !== 1) throw new Error('unexpected frame format from ffmpeg');
        this.take(end + 7);
        this.frame = { width, height };
      }
      const { width, height } = this.frame;
      if (this.size < width * height) break;
      frames.push({ width, height, grey: Buffer.from(this.take(width * height)) });
      this.frame = null;
    }
    return frames;
  }
}

/** Whether `b` shows what `a` shows: no block differs beyond compression noise. */
export function sameFrame(a: Frame, b: Frame): boolean {
  if (a.width !== b.width || a.height !== b.height) return false;
  if (a.grey.equals(b.grey)) return true;
  const { width, height } = a;
  for (let by = 0; by < height; by += BLOCK) {
    const yEnd = Math.min(by + BLOCK, height);
    for (let bx = 0; bx < width; bx += BLOCK) {
      const xEnd = Math.min(bx + BLOCK, width);
      let sum = 0;
      for (let y = by; y < yEnd; y++) {
        const row = y * width;
        for (let x = bx; x < xEnd; x++) sum += Math.abs(a.grey[row + x]! - b.grey[row + x]!);
      }
      if (sum > BLOCK_CHANGE * (yEnd - by) * (xEnd - bx)) return false;
    }
  }
  return true;
}

async function toPng(frame: Frame): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  return sharp(frame.grey, { raw: { width: frame.width, height: frame.height, channels: 1 } }).toColourspace('b-w').png({ compressionLevel: 3 }).toBuffer();
}

/** ffmpeg's complaint, shortened to its most telling line. */
function ffmpegReason(stderr: string, input: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.split(input).join('input').replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/, '').trim())
    .filter(Boolean);
  if (lines.some((l) => /matches no streams/.test(l))) return 'no video stream';
  const line = lines.find((l) => /invalid data|could not find|moov atom|error|unsupported|no such/i.test(l)) ?? lines.at(-1) ?? 'unknown error';
  return line.replace(/^input:\s*/, '').slice(0, 200);
}

interface Sampled {
  frames: Part[];
  /** Set when frames were left out or the video could not be read to its end. */
  note: { entry?: string; reason: string } | null;
}

async function sampleFrames(ffmpeg: string, input: string, limits: ContainerLimits): Promise<Sampled> {
  const maxFrames = Math.max(0, Math.min(MAX_FRAMES, limits.maxEntries - 1));
  const side = MAX_FRAME_SIDE;
  const vf = [
    `fps=1/${FRAME_INTERVAL}`,
    `scale=w='if(gte(iw,ih),min(iw,${side}),-2)':h='if(gte(iw,ih),-2,min(ih,${side}))':flags=area`,
    'format=gray',
  ].join(',');
  const args = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-i', input, '-map', '0:v:0', '-an', '-sn', '-dn', '-vf', vf, '-f', 'image2pipe', '-c:v', 'pam', 'pipe:1'];
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 16_384) stderr += d;
  });
  const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: null, error }));
    child.on('close', (code) => resolve({ code }));
  });

  const frames: Part[] = [];
  let note: Sampled['note'] = null;
  let last: { frame: Frame; part: Part } | null = null;
  let index = 0;
  let bytes = 0;
  let stopped = false;
  const pam = new PamReader();
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      for (const frame of pam.push(chunk)) {
        const t = index * FRAME_INTERVAL;
        index++;
        if (last && sameFrame(last.frame, frame)) {
          last.part.time!.end = t + FRAME_INTERVAL;
          continue;
        }
        const png = frames.length < maxFrames ? await toPng(frame) : null;
        if (!png || bytes + png.length > limits.maxTotalBytes) {
          const why = png ? `limit of ${limits.maxTotalBytes} bytes reached` : `limit of ${maxFrames} frames reached`;
          note = { reason: `frames from ${clock(t)} on not read: ${why}` };
          stopped = true;
          break;
        }
        bytes += png.length;
        const part: Part = { name: `frame-${String(index).padStart(5, '0')}.png`, entry: `frame at ${clock(t)}`, time: { start: t, end: t + FRAME_INTERVAL }, data: png, kind: 'image' };
        frames.push(part);
        last = { frame, part };
      }
      if (stopped) break;
    }
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  // Enough frames: ffmpeg is stopped rather than left to decode the rest.
  if (stopped) child.kill('SIGKILL');
  const { code, error } = await exited;
  if (error) return { frames, note: { reason: `video not read: ffmpeg did not start (${error.message})` } };
  if (!stopped && code !== 0) {
    const reason = ffmpegReason(stderr, input);
    note = frames.length ? { reason: `video read up to ${clock(index * FRAME_INTERVAL)} only: ${reason}` } : { reason: `video not read: ${reason}` };
  } else if (!stopped && index === 0) {
    note = { reason: 'video not read: no frames decoded' };
  }
  return { frames, note };
}

export const videoReader: FormatReader = {
  async read(data: Buffer, name: string, limits: ContainerLimits): Promise<ReadResult> {
    // The bytes themselves, as for any file: a key in a title or comment tag.
    const out: ReadResult = { parts: [{ name: `${name}.bytes`, data, kind: 'text' }], skipped: [] };
    located ??= locateFfmpeg({ override: process.env.SPREEFLO_SCAN_FFMPEG, path: process.env.PATH });
    if ('missing' in located) {
      out.skipped.push({ reason: located.missing });
      return out;
    }
    let dir: string | null = null;
    try {
      // ffmpeg needs a seekable file (an mp4's index is often at its end): a private copy,
      // removed even when the run is interrupted (see temp-dirs.ts).
      dir = await makeTempDir();
      const ext = /^\.[A-Za-z0-9]{1,5}$/.test(extname(name)) ? extname(name) : '';
      const input = join(dir, `input${ext}`);
      await writeFile(input, data, { mode: 0o600 });
      const { frames, note } = await sampleFrames(located.path, input, limits);
      out.parts.push(...frames);
      if (note) out.skipped.push(note);
    } catch (err) {
      out.skipped.push({ reason: `video not read: ${(err as Error)?.message ?? String(err)}` });
    } finally {
      if (dir) await removeTempDir(dir);
    }
    return out;
  },
};
