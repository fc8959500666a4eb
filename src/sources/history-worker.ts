// A history worker thread: reads the packed objects it is sent and returns what it found.
import { parentPort, workerData } from 'node:worker_threads';
import { PackedScanner, type PackedScanInit } from '../git/packed-scan.js';
import type { PackedReply, PackedRequest } from './history-packed.js';

const scanner = new PackedScanner(workerData as PackedScanInit);

parentPort!.on('message', (req: PackedRequest) => {
  const reply: PackedReply = { results: req.items.map((item) => scanner.scan(item)) };
  parentPort!.postMessage(reply);
});
