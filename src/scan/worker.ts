// A scan worker thread: reads the files it is sent and returns what the detector found.
import { parentPort, workerData } from 'node:worker_threads';
import { compileRule } from '../detect/rules.js';
import { Detector } from '../detect/detector.js';
import { FileScanner } from './read-file.js';
import type { WorkerInit, WorkerReply, WorkerRequest } from './worker-protocol.js';

const init = workerData as WorkerInit;
const scanner = new FileScanner(new Detector(init.rules.map(compileRule)), init.limits, init.read);

parentPort!.on('message', (req: WorkerRequest) => {
  const reply: WorkerReply = { batch: req.batch, results: req.paths.map((p) => scanner.scan(p)) };
  parentPort!.postMessage(reply);
});
