// Temporary folders (a video's copy for ffmpeg) never outlive the run. Each is
// named `spreeflo-scan-<pid>-XXXXXX` under os.tmpdir(): while one exists, SIGINT
// and SIGTERM remove it before the process exits (130, 143); one left by a run
// killed outright (SIGKILL, a crash) is removed by the next run to start, once
// its pid is gone.
import { rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { alive } from '../processes.js';

/**
 * Loaded on first use: the pre-commit hook makes no folder unless a commit holds a video,
 * and node:fs/promises brings readline and the fs watchers with it (milliseconds at every commit).
 */
const fsp = () => process.getBuiltinModule('node:fs/promises');

const PREFIX = 'spreeflo-scan-';
const NAME = /^spreeflo-scan-(\d+)-[A-Za-z0-9]{6}$/;
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

const live = new Set<string>();
/** Folders made or being made: the signal handlers are on while this is above 0. */
let pending = 0;

function onSignal(signal: (typeof SIGNALS)[number]): void {
  for (const dir of live) rmSync(dir, { recursive: true, force: true });
  process.exit(128 + constants.signals[signal]);
}

/** A new private (0700) temporary folder of this run. */
export async function makeTempDir(): Promise<string> {
  // Listening before the folder exists: a signal meanwhile still ends the run as 130/143
  // (the folder it was making, not yet known here, goes with the next run's sweep).
  if (pending++ === 0) for (const s of SIGNALS) process.on(s, onSignal);
  try {
    const dir = await fsp().mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
    live.add(dir);
    return dir;
  } catch (err) {
    release();
    throw err;
  }
}

/** Removes a folder made by makeTempDir. */
export async function removeTempDir(dir: string): Promise<void> {
  await fsp().rm(dir, { recursive: true, force: true }).catch(() => undefined);
  live.delete(dir);
  release();
}

/** With no folder left, the signals do what they did before. */
function release(): void {
  if (--pending === 0) for (const s of SIGNALS) process.off(s, onSignal);
}

/**
 * Removes this user's folders of runs that are gone: one readdir of the temp
 * folder when there are none, off the main thread. Never fails.
 */
export async function sweepStaleTempDirs(): Promise<void> {
  let names: string[];
  try {
    names = await fsp().readdir(tmpdir());
  } catch {
    return;
  }
  const uid = process.getuid?.();
  for (const name of names) {
    const pid = Number(NAME.exec(name)?.[1] ?? NaN);
    if (!(pid > 0) || pid === process.pid || alive(pid)) continue;
    const dir = join(tmpdir(), name);
    try {
      const st = await fsp().lstat(dir);
      if (st.isDirectory() && (uid === undefined || st.uid === uid)) await fsp().rm(dir, { recursive: true, force: true });
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}
