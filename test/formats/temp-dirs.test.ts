// A video is copied to a temporary folder for ffmpeg: the folder goes when the
// run is interrupted (SIGINT, SIGTERM: exit 130, 143), and one left by a run
// killed outright goes when the next run starts. Real ffmpeg, real signals; each
// CLI run gets its own TMPDIR so that only its folders are looked at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { locateFfmpeg } from '../../src/formats/video.js';
import { BIN, runCli, tempDir as makeTempDir } from '../support/cli.js';

const found = locateFfmpeg({ override: process.env.SPREEFLO_SCAN_FFMPEG, path: process.env.PATH });
const FFMPEG = 'path' in found ? found.path : null;

const made: string[] = [];
const tempDir = (prefix: string) => {
  const dir = makeTempDir(prefix);
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const ours = (tmp: string) => readdirSync(tmp).filter((n) => n.startsWith('spreeflo-scan-'));

/** Pids of `parent`'s children named `name` (from /proc). */
function children(parent: number, name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so split after its closing parenthesis.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && comm === name) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

async function until<T>(what: string, probe: () => T | undefined, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe.skipIf(!FFMPEG || process.platform !== 'linux')('an interrupted scan leaves no temporary folder', () => {
  let videos: string;
  beforeAll(() => {
    videos = tempDir('sfscan-videos-');
    // 300 distinct frames (a counter runs in the picture): ffmpeg takes a second or more on them.
    execFileSync(FFMPEG!, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=1', '-t', '300', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(videos, 'clip.mp4')]);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s while ffmpeg extracts frames: the folder is removed, exit %i', async (signal, code) => {
    const tmp = tempDir('sfscan-tmp-');
    const child = spawn(process.execPath, [BIN, 'scan', videos, '--no-cache'], { env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' }, stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (c, s) => resolve({ code: c, signal: s })));
    const [folder] = await until('the temporary folder', () => (ours(tmp).length ? ours(tmp) : undefined));
    expect(folder).toMatch(new RegExp(`^spreeflo-scan-${child.pid}-[A-Za-z0-9]{6}$`));
    const [ffmpeg] = await until('ffmpeg at work', () => {
      const pids = children(child.pid!, 'ffmpeg');
      return pids.length ? pids : undefined;
    });
    expect(statSync(join(tmp, folder!)).mode & 0o777).toBe(0o700);
    child.kill(signal);
    expect(await exited).toEqual({ code, signal: null });
    expect(ours(tmp)).toEqual([]);
    // ffmpeg's output has no reader left: it stops at its next write.
    await until('ffmpeg to stop', () => (existsSync(`/proc/${ffmpeg}`) ? undefined : true), 10_000);
  }, 120_000);
});

describe.skipIf(process.platform === 'win32')('folders left by a run killed outright', () => {
  it('are removed by the next run: only the current user\'s, only of pids that are gone', () => {
    const tmp = tempDir('sfscan-tmp-');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const folders = {
      stale: `spreeflo-scan-${dead}-Ab12Cd`,
      running: `spreeflo-scan-${process.pid}-Ab12Cd`,
      notOurs: `spreeflo-scan-${dead}-Zz99Yy`,
      otherName: `spreeflo-scan-notes`,
    };
    for (const name of Object.values(folders)) {
      mkdirSync(join(tmp, name, 'sub'), { recursive: true });
      writeFileSync(join(tmp, name, 'sub', 'input.mp4'), 'frames');
    }
    // Only root can give a folder to someone else: otherwise it is the user's own and goes too.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(join(tmp, folders.notOurs), 65534, 65534);
    const empty = tempDir('sfscan-empty-');
    const run = runCli(['scan', empty], { env: { TMPDIR: tmp } });
    expect(run.code, run.stderr).toBe(0);
    const left = [folders.running, ...(asRoot ? [folders.notOurs] : []), folders.otherName].sort();
    expect(ours(tmp).sort()).toEqual(left);
  });
});
