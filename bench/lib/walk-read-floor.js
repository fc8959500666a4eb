#!/usr/bin/env node
// Node's floor for a tree scan, timed beside spreeflo-scan and rg by `trees-bench.js`:
// the scanner's walk and read with no search at all. The same walk (readdirSync, the
// folder's files, then each folder in it breadth first, a turn of the event loop every
// 256 files; `--walker fast-glob`: the scanner's walk before branch h16speed, one
// fast-glob call per top-level folder), the same thread layout (one worker thread per core but
// one, fed batches of 64 paths, 8 batches ahead, while the walk goes on; the main
// thread reads what is left once the walk is over), the same reads (open, readSync
// into a reused 1 MiB buffer until it is full or the file ends, fstat only past it,
// close; a file past 4 MiB in 4 MiB chunks). What the scanner costs above this is ours; this is Node's.
//   node bench/lib/walk-read-floor.js [--walker readdir|fast-glob] [--skip-ext gz,zip,…] ROOT…
// prints "<files> files, <bytes> bytes".
import fs from 'node:fs';
import { availableParallelism } from 'node:os';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import fg from 'fast-glob';

const BATCH_FILES = 64;
const BATCHES_AHEAD = 8;
/** The scanner reads a file past this in chunks of this size, through one reused buffer. */
const CHUNK_BYTES = 4 * 1024 * 1024;

let buffer = Buffer.allocUnsafe(1024 * 1024);

/** The reused buffer, grown to `size`, its first `keep` bytes kept. */
function bufferOf(size, keep) {
  if (buffer.length < size) {
    const grown = Buffer.allocUnsafe(Math.max(size, buffer.length * 2));
    buffer.copy(grown, 0, 0, keep);
    buffer = grown;
  }
  return buffer;
}

/**
 * The bytes of one file, read as the scanner's FileScanner reads them (src/scan/read-file.ts):
 * whole into the reused buffer up to CHUNK_BYTES, in chunks of it past that.
 */
function readOne(path) {
  let fd;
  try {
    fd = fs.openSync(path, fs.constants.O_RDONLY);
  } catch {
    return 0;
  }
  try {
    let read = fill(fd, buffer, 0, 0);
    if (read === buffer.length) {
      const { size } = fs.fstatSync(fd);
      if (size > CHUNK_BYTES) {
        const chunk = bufferOf(CHUNK_BYTES, 0).subarray(0, CHUNK_BYTES);
        let at = 0;
        for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, at)) > 0; ) at += n;
        return at;
      }
      read = fill(fd, bufferOf(size + 1, read), read, 0);
    }
    return read;
  } catch {
    return 0;
  } finally {
    fs.closeSync(fd);
  }
}

function fill(fd, buf, from, position) {
  let filled = from;
  while (filled < buf.length) {
    const n = fs.readSync(fd, buf, filled, buf.length - filled, position + filled);
    if (n === 0) break;
    filled += n;
  }
  return filled;
}

function parse(argv) {
  const opts = { walker: 'readdir', skip: [], roots: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--walker') opts.walker = argv[++i];
    else if (argv[i] === '--skip-ext') opts.skip = argv[++i].split(',').map((x) => `.${x}`);
    else opts.roots.push(argv[i]);
  }
  return opts;
}

if (!isMainThread) {
  parentPort.on('message', (paths) => {
    let bytes = 0;
    for (const p of paths) bytes += readOne(p);
    parentPort.postMessage({ bytes });
  });
} else {
  const { walker, skip, roots } = parse(process.argv.slice(2));
  const kept = (name) => !skip.some((x) => name.endsWith(x));
  const queue = [];
  let sent = 0;
  let bytes = 0;
  let wake = null;
  const workers = Array.from({ length: availableParallelism() - 1 }, () => {
    const w = { thread: new Worker(new URL(import.meta.url)), inFlight: 0 };
    w.thread.on('message', (r) => {
      w.inFlight--;
      bytes += r.bytes;
      feed(false);
      wake?.();
    });
    return w;
  });
  const feed = (ended) => {
    for (const w of workers) {
      while (w.inFlight < BATCHES_AHEAD) {
        const waiting = queue.length - sent;
        if (waiting === 0 || (waiting < BATCH_FILES && !ended)) return;
        const paths = queue.slice(sent, Math.min(queue.length, sent + BATCH_FILES));
        sent += paths.length;
        w.inFlight++;
        w.thread.postMessage(paths);
      }
    }
  };
  const add = (p) => {
    queue.push(p);
    feed(false);
  };

  /** The scanner's walk before h16speed: fast-glob, a call per top-level folder. */
  const fastGlob = async (root) => {
    const base = root.endsWith('/') ? root : `${root}/`;
    const options = { cwd: root, dot: true, onlyFiles: false, objectMode: true, followSymbolicLinks: false, suppressErrors: true, unique: false };
    const handle = (entries, folders) => {
      for (const e of entries) {
        if (e.dirent.isDirectory()) folders?.push(e.path);
        else if (e.dirent.isFile() && kept(e.name)) add(base + e.path);
      }
    };
    const folders = [];
    handle(fg.sync('**', { ...options, deep: 1 }), folders);
    for (const folder of folders) {
      await nextTurn();
      handle(fg.sync(`${fg.escapePath(folder)}/**`, options), null);
    }
  };
  /** The scanner's walk (src/sources/files.ts walkDir), without its checks. */
  let listed = 0;
  const list = async (dir, folders) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) folders.push(p);
      else if (e.isFile() && kept(e.name)) {
        add(p);
        if (++listed % 256 === 0) await nextTurn();
      }
    }
  };
  const readdir = async (root) => {
    const top = [];
    await list(root, top);
    for (const folder of top) {
      const queue = [folder];
      for (let i = 0; i < queue.length; i++) await list(queue[i], queue);
    }
  };

  for (const root of roots) await (walker === 'fast-glob' ? fastGlob(root) : readdir(root.replace(/\/+$/, '')));
  feed(true);
  while (sent < queue.length) {
    const end = Math.min(queue.length, sent + BATCH_FILES);
    for (; sent < end; sent++) bytes += readOne(queue[sent]);
    if (workers.length) await nextTurn();
    feed(true);
  }
  while (workers.some((w) => w.inFlight > 0)) await new Promise((resolve) => (wake = resolve));
  console.log(`${queue.length} files, ${bytes} bytes`);
  process.exit(0);
}
