// The PDF thread (see pdf-host.ts): reads the documents it is sent, one at a time, with
// the same reader the main thread would use, and says how large its heap is after each.
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { pdfReader } from './pdf.js';
import type { PdfReply, PdfRequest, SentPart } from './pdf-host.js';

parentPort!.on('message', async (req: PdfRequest) => {
  const data = Buffer.from(req.data.buffer, req.data.byteOffset, req.data.length);
  const read = await pdfReader.read(data, req.name, req.limits, req.opts);
  const moved: ArrayBuffer[] = [];
  const parts = read.parts.map(({ data: bytes, ...part }): SentPart => {
    // The document's own bytes (not readable as a PDF): the main thread still holds them.
    if (bytes === data) return { ...part, data: null };
    // An exact copy to hand over: a part may be a view into a larger buffer (a shared pool, a whole stream).
    const copy = new Uint8Array(bytes);
    moved.push(copy.buffer);
    return { ...part, data: copy };
  });
  const reply: PdfReply = { parts, skipped: read.skipped, heapBytes: getHeapStatistics().total_heap_size };
  parentPort!.postMessage(reply, moved);
});
