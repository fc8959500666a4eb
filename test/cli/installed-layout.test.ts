// The package as a user's `npm i spreeflo-scan` lays it out: the files package.json
// ships, in node_modules/spreeflo-scan, beside its dependencies but without the
// devDependencies that are left out of the install on purpose (pdfjs-dist, the
// @napi-rs/canvas it pulls in, @ffmpeg-installer/ffmpeg). PDFs are read with the copy
// of pdf.js in dist/pdfjs/ and print no warning; screenshots are read by OCR; a video
// is listed as not read, with the command that enables it. (The real install from the
// packed tarball is measured by hand: see bench/README.md.)
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { NO_FFMPEG } from '../../src/formats/video.js';
import { tempDir } from '../support/cli.js';

/** What a user's install does not hold (devDependencies here). */
const LEFT_OUT = ['pdfjs-dist', '@napi-rs', '@ffmpeg-installer'];

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A project with spreeflo-scan installed as npm would, its dependencies linked from this repository's node_modules. */
function installedCopy(): { project: string; pkg: string } {
  const project = tempDir('sfscan-installed-');
  const modules = join(project, 'node_modules');
  const pkg = join(modules, 'spreeflo-scan');
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { files: string[] };
  for (const entry of ['package.json', ...manifest.files]) cpSync(entry, join(pkg, entry), { recursive: true });
  for (const name of readdirSync('node_modules')) {
    if (name.startsWith('.') || LEFT_OUT.includes(name)) continue;
    symlinkSync(resolve('node_modules', name), join(modules, name));
  }
  return { project, pkg };
}

describe('the installed package', () => {
  it('reads PDF text and pictures and screenshots without pdfjs-dist, canvas or ffmpeg, and lists a video as not read with the command that enables it', () => {
    const { project, pkg } = installedCopy();
    // What the test stands for: none of the left-out packages can be found from the installed copy.
    const from = createRequire(join(pkg, 'dist/pdfjs/pdf.min.mjs'));
    for (const name of ['pdfjs-dist', '@napi-rs/canvas', '@ffmpeg-installer/ffmpeg']) expect(() => from.resolve(name)).toThrow();

    const files = join(project, 'files');
    mkdirSync(files);
    copyFileSync('test/fixtures/media/chromium-print.pdf', join(files, 'doc.pdf'));
    const images = JSON.parse(readFileSync('test/fixtures/images/manifest.json', 'utf8'));
    const shot = images.images.find((i: any) => i.file === '000-settings-light.png');
    copyFileSync(join('test/fixtures/images', shot.file), join(files, 'shot.png'));
    // An MP4 header, so the file is taken for a video.
    writeFileSync(join(files, 'clip.mp4'), Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(64)]));

    // PATH holds only node (a link in a folder of its own: /usr/bin may hold an ffmpeg): no ffmpeg there either.
    const { SPREEFLO_SCAN_FFMPEG: _, ...inherited } = process.env;
    const nodeOnly = join(project, 'node-only');
    mkdirSync(nodeOnly);
    symlinkSync(process.execPath, join(nodeOnly, 'node'));
    const env = { ...inherited, NO_COLOR: '1', PATH: nodeOnly };
    const run = spawnSync(process.execPath, [join(pkg, 'bin/spreeflo-scan.js'), 'scan', 'files', '--no-cache', '--no-progress', '--format', 'json'], { cwd: project, env, encoding: 'utf8' });

    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    const printed = JSON.parse(readFileSync('test/fixtures/media/chromium-print.json', 'utf8'));
    const rows = (list: unknown[][]) => list.sort((x, y) => String(x[0]).localeCompare(String(y[0])) || String(x[2]).localeCompare(String(y[2])));
    expect(rows(report.findings.map((f: any) => [f.path, f.source, f.entry ?? null, f.keySha256]))).toEqual(
      rows([
        ...printed.findings.map((f: any) => ['doc.pdf', f.source, f.entry, sha(f.key)]),
        ['shot.png', 'image', null, sha(shot.keys[0].key)],
      ]),
    );
    expect(report.skipped.map((s: any) => [s.path, s.reason, s.unread])).toEqual([['clip.mp4', NO_FFMPEG, true]]);
  });
});
