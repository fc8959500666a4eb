// Videos: frames sampled once a second, identical frames read once, each frame
// read by OCR with its time range; broken videos and a missing ffmpeg are skips.
// The recordings are made here from PNG frames with the same ffmpeg the scanner uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import sharp from 'sharp';
import { NO_FFMPEG, clock, locateFfmpeg, sameFrame, videoReader } from '../../src/formats/video.js';
import { DEFAULT_LIMITS } from '../../src/formats/types.js';
import { scanJson, tempDir as makeTempDir } from '../support/cli.js';
import { makeV2Key } from '../support/keys.js';

const IMAGES = resolve('test/fixtures/images');
const manifest = JSON.parse(readFileSync(join(IMAGES, 'manifest.json'), 'utf8'));
const SHOT = manifest.images.find((i: any) => i.file === '000-settings-light.png');
const SHOT_KEY: string = SHOT.keys[0].key;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

const found = locateFfmpeg({ override: process.env.SPREEFLO_SCAN_FFMPEG, path: process.env.PATH });
const FFMPEG = 'path' in found ? found.path : null;

/** A recording at 10 frames per second: `scenes` are [picture, seconds] in order. */
async function record(dir: string, file: string, scenes: [Buffer, number][], codec: string[] = ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p']): Promise<string> {
  let n = 0;
  scenes.forEach(([png, seconds], s) => {
    writeFileSync(join(dir, `scene${s}.png`), png);
    for (let i = 0; i < seconds * 10; i++) copyFileSync(join(dir, `scene${s}.png`), join(dir, `${file}-${String(n++).padStart(4, '0')}.png`));
  });
  const out = join(dir, file);
  execFileSync(FFMPEG!, ['-hide_banner', '-loglevel', 'error', '-y', '-framerate', '10', '-i', join(dir, `${file}-%04d.png`), ...codec, out]);
  return out;
}

// Recordings are made from many PNG copies: the folders are removed afterwards.
const made: string[] = [];
const tempDir = (prefix?: string) => {
  const dir = makeTempDir(prefix);
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

let shot: Buffer;
let blank: Buffer;
let notes: Buffer;

beforeAll(async () => {
  // 846x446: H.264 in yuv420p needs even sizes; the screenshot is 845x445.
  shot = await sharp(join(IMAGES, SHOT.file)).resize(846, 446, { fit: 'contain', background: '#ffffff' }).png().toBuffer();
  blank = await sharp({ create: { width: 846, height: 446, channels: 3, background: '#f4f4f4' } }).png().toBuffer();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="846" height="446"><rect width="100%" height="100%" fill="#fff"/><text x="40" y="120" font-family="sans-serif" font-size="28">Step 2: open Settings, then API Keys</text></svg>`;
  notes = await sharp(Buffer.from(svg)).png().toBuffer();
});

describe('helpers', () => {
  it('formats times as a player does', () => {
    expect([clock(0), clock(3), clock(61.25), clock(3723)]).toEqual(['00:00.0', '00:03.0', '01:01.3', '1:02:03.0']);
  });

  it('looks for ffmpeg in the npm package, then on PATH, and says what to install when neither is there', () => {
    expect(locateFfmpeg({ npm: false, path: '' })).toEqual({ missing: NO_FFMPEG });
    expect(NO_FFMPEG).toBe('video not read: no ffmpeg (run `npm i @ffmpeg-installer/ffmpeg` beside spreeflo-scan, or put ffmpeg on PATH)');
    expect(locateFfmpeg({ override: '/nonexistent/ffmpeg' })).toEqual({ missing: 'no ffmpeg at SPREEFLO_SCAN_FFMPEG=/nonexistent/ffmpeg' });
    const bin = tempDir('sfscan-bin-');
    writeFileSync(join(bin, 'ffmpeg'), '#!/bin/sh\n', { mode: 0o755 });
    const notExecutable = tempDir('sfscan-bin-');
    writeFileSync(join(notExecutable, 'ffmpeg'), 'not a program', { mode: 0o644 });
    expect(locateFfmpeg({ npm: false, path: ['/nonexistent', notExecutable, bin].join(delimiter) })).toEqual({ path: join(bin, 'ffmpeg') });
  });

  it('treats compression noise as the same frame, and a changed 16x16 block as a new one', () => {
    const base = Buffer.alloc(64 * 64, 200);
    const noisy = Buffer.from(base.map((v, i) => v + ((i * 7) % 5) - 2));
    const changed = Buffer.from(base);
    for (let y = 20; y < 30; y++) for (let x = 33; x < 40; x++) changed[y * 64 + x] = 20; // a glyph
    const f = (grey: Buffer) => ({ width: 64, height: 64, grey });
    expect(sameFrame(f(base), f(noisy))).toBe(true);
    expect(sameFrame(f(base), f(changed))).toBe(false);
  });
});

describe.skipIf(!FFMPEG)('videoReader', () => {
  it('samples a frame a second, reads a picture shown for 2 s once, with its time range', async () => {
    const dir = tempDir();
    const mp4 = await record(dir, 'rec.mp4', [[blank, 1], [shot, 2], [blank, 1]]);
    const t0 = performance.now();
    const r = await videoReader.read(readFileSync(mp4), 'rec.mp4', DEFAULT_LIMITS);
    const ms = performance.now() - t0;
    expect(r.skipped).toEqual([]);
    expect(r.parts[0]).toMatchObject({ kind: 'text', data: readFileSync(mp4) });
    const frames = r.parts.filter((p) => p.kind === 'image');
    expect(frames.map((p) => [p.entry, p.time])).toEqual([
      ['frame at 00:00.0', { start: 0, end: 1 }],
      ['frame at 00:01.0', { start: 1, end: 3 }],
      ['frame at 00:03.0', { start: 3, end: 4 }],
    ]);
    const meta = await sharp(frames[1]!.data).metadata();
    expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 846, 446, 1]);
    expect(ms).toBeLessThan(5000);
  });

  it('stops at the frame limit and says from when frames were left out', async () => {
    const dir = tempDir();
    const mp4 = await record(dir, 'rec.mp4', [[blank, 1], [shot, 1], [notes, 1], [blank, 1]]);
    const r = await videoReader.read(readFileSync(mp4), 'rec.mp4', { ...DEFAULT_LIMITS, maxEntries: 3 });
    expect(r.parts.filter((p) => p.kind === 'image').map((p) => p.entry)).toEqual(['frame at 00:00.0', 'frame at 00:01.0']);
    expect(r.skipped).toEqual([{ reason: 'frames from 00:02.0 on not read: limit of 2 frames reached' }]);
  });

  it('a corrupt video, a cut one and one without pictures are skipped with the reason; the bytes are still searched', async () => {
    const dir = tempDir();
    // Fixed bytes: now and then ffmpeg takes random bytes for some raw stream ("no video stream").
    const junk = Buffer.concat(Array.from({ length: 125 }, (_, i) => createHash('sha256').update(`junk ${i}`).digest()));
    const bad = await videoReader.read(junk, 'x.mp4', DEFAULT_LIMITS);
    expect(bad.skipped).toEqual([{ reason: expect.stringMatching(/^video not read: (invalid data found when processing input|moov atom not found)$/i) }]);
    expect(bad.parts).toEqual([{ name: 'x.mp4.bytes', data: junk, kind: 'text' }]);
    // Without faststart the index (moov) is at the end: the first half alone cannot be read.
    const mp4 = readFileSync(await record(dir, 'slow.mp4', [[blank, 1], [shot, 1]]));
    const cut = await videoReader.read(mp4.subarray(0, mp4.length >> 1), 'cut.mov', DEFAULT_LIMITS);
    expect(cut.skipped).toEqual([{ reason: 'video not read: moov atom not found' }]);
    const audio = join(dir, 'voice.m4v');
    execFileSync(FFMPEG!, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', '-f', 'mp4', audio]);
    const silent = await videoReader.read(readFileSync(audio), 'voice.m4v', DEFAULT_LIMITS);
    expect(silent.skipped).toEqual([{ reason: 'video not read: no video stream' }]);
  });
});

describe.skipIf(!FFMPEG)('scan reads videos', () => {
  it('finds the key shown from 1 s to 3 s once, as an image finding with its time; a clean video gives nothing', async () => {
    const dir = tempDir('sfscan-video-src-');
    const root = tempDir();
    copyFileSync(await record(dir, 'rec.mp4', [[blank, 1], [shot, 2], [blank, 1]]), join(root, 'demo.mp4'));
    copyFileSync(await record(dir, 'clean.webm', [[notes, 2], [blank, 1]], ['-c:v', 'libvpx', '-pix_fmt', 'yuv420p', '-b:v', '1M', '-deadline', 'realtime']), join(root, 'walkthrough.webm'));
    writeFileSync(join(root, 'broken.mov'), randomBytes(3000));
    const t0 = Date.now();
    const { run, report } = scanJson([root, '--no-cache']);
    const seconds = (Date.now() - t0) / 1000;
    expect(run.code, run.stderr).toBe(1);
    expect(report.findings.map((f) => [f.path, f.source, f.entry, f.keySha256])).toEqual([['demo.mp4', 'image', 'frame at 00:01.0', sha(SHOT_KEY)]]);
    const time = report.findings[0]!.time as { start: number; end: number };
    expect(time.start).toBeCloseTo(1, 0);
    expect(time.end).toBeCloseTo(3, 0);
    expect(report.skipped.map((s: any) => [s.path, s.reason])).toEqual([['broken.mov', expect.stringMatching(/^video not read: /)]]);
    console.log(`scan of 3 videos (4 distinct frames read by OCR): ${seconds.toFixed(1)} s`);
  });

  it('without ffmpeg a video is listed as skipped, and its bytes are still searched', () => {
    const root = tempDir();
    const key = makeV2Key();
    // An MP4 header, so the file is taken for a video, then garbage with a key in it.
    const header = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom')]);
    writeFileSync(join(root, 'clip.mp4'), Buffer.concat([header, randomBytes(100), Buffer.from(`\u0000comment=${key}\u0000`), randomBytes(100)]));
    const { report } = scanJson([root, '--no-cache'], { env: { SPREEFLO_SCAN_FFMPEG: join(root, 'no-ffmpeg-here') } });
    expect(report.skipped.map((s: any) => [s.path, s.reason])).toEqual([['clip.mp4', `no ffmpeg at SPREEFLO_SCAN_FFMPEG=${join(root, 'no-ffmpeg-here')}`]]);
    expect(report.findings.map((f) => [f.path, f.source, f.keySha256])).toEqual([['clip.mp4', 'file', sha(key)]]);
  });
});
