#!/usr/bin/env node
// The least a Node scanner has to do, timed beside spreeflo-scan (`scan-bench.js`
// prints it as "bare Node floor"): start Node, list the tree with readdirSync, read
// every file into a reused buffer and search it for the two literals ("sfk_", "-sf")
// with Buffer#indexOf, on both cores (this thread and one worker, half the files
// each). No rules, checks, encodings, report or globs: what spreeflo-scan adds on
// top of this is its cost; what this costs is Node's.
//   node bench/lib/node-floor.js <dir>      prints the literal hits and file count
import fs from 'node:fs';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

const LITERALS = [Buffer.from('sfk_'), Buffer.from('-sf')];
let buffer = Buffer.allocUnsafe(1 << 20);

function hitsIn(file) {
  const fd = fs.openSync(file, fs.constants.O_RDONLY);
  try {
    const { size } = fs.fstatSync(fd);
    if (buffer.length < size) buffer = Buffer.allocUnsafe(size * 2);
    let read = 0;
    for (let n; read < size && (n = fs.readSync(fd, buffer, read, size - read, read)) > 0;) read += n;
    const content = buffer.subarray(0, read);
    let hits = 0;
    for (const literal of LITERALS) for (let i = content.indexOf(literal); i !== -1; i = content.indexOf(literal, i + 1)) hits++;
    return hits;
  } finally {
    fs.closeSync(fd);
  }
}

if (isMainThread) {
  const worker = new Worker(new URL(import.meta.url));
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  walk(process.argv[2]);
  const half = files.length >> 1;
  const workerHits = new Promise((resolve) => worker.once('message', resolve));
  worker.postMessage(files.slice(0, half));
  let hits = 0;
  for (const f of files.slice(half)) hits += hitsIn(f);
  hits += await workerHits;
  console.log(`${hits} literal hits in ${files.length} files`);
  process.exit(0);
} else {
  parentPort.once('message', (files) => parentPort.postMessage(files.reduce((n, f) => n + hitsIn(f), 0)));
}
