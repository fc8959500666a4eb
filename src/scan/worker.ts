// A scan worker thread: reads the files it is sent and returns what the detector found.
import { parentPort } from 'node:worker_threads';
import { compileRule } from '../detect/rules.js';
import { Detector } from '../detect/detector.js';
import { FileScanner } from './read-file.js';
import { BY_WORKER, FREE, type WorkerInit, type WorkerReply, type WorkerRequest } from './worker-protocol.js';

/** Made from the first message: a worker may start before the scan knows its rules (prestart.ts). */
let scanner: FileScanner | null = null;

parentPort!.on('message', (msg: WorkerInit | WorkerRequest) => {
  if (scanner === null) {
    const init = msg as WorkerInit;
    scanner = new FileScanner(new Detector(init.rules.map(compileRule)), init.limits, init.read);
    return;
  }
  const req = msg as WorkerRequest;
  const reply: WorkerReply = { batch: req.batch, results: req.paths.map((p, j) => (Atomics.compareExchange(req.claims, j, FREE, BY_WORKER) === FREE ? scanner!.scan(p) : null)) };
  parentPort!.postMessage(reply);
});
