// Reads many objects through `git cat-file --batch` while their ids are still being
// listed: ids go out in batches, round robin, to a few cat-file processes (git's
// inflating and delta resolution is the slow part), each batch a run of neighbours
// in pack order, so each process keeps its locality.
import { CatFile, type CatFileResult } from './cat-file.js';

const BATCH = 256;

export class ObjectReader {
  private readonly streams: CatFile[] = [];
  private readonly deliveries: Promise<void>[] = [];
  private batch: string[] = [];
  private batches = 0;
  /** How many objects were asked for. */
  count = 0;

  constructor(
    private readonly cwd: string,
    private readonly maxStreams: number,
    private readonly onObject: (result: CatFileResult) => void,
  ) {}

  add(id: string): void {
    this.count++;
    this.batch.push(id);
    if (this.batch.length === BATCH) this.send();
  }

  /** Every object delivered; the processes end. */
  async finish(): Promise<void> {
    this.send();
    this.close();
    await Promise.all(this.deliveries);
  }

  close(): void {
    for (const cat of this.streams) cat.close();
  }

  private send(): void {
    if (this.batch.length === 0) return;
    const i = this.batches++ % this.maxStreams;
    const cat = (this.streams[i] ??= new CatFile(this.cwd));
    const results = cat.request(this.batch);
    this.batch = [];
    // When the process fails every result fails with it; the first one awaited is reported.
    for (const pending of results) pending.catch(() => undefined);
    const delivered = (this.deliveries[i] ?? Promise.resolve()).then(() => this.deliver(results));
    // Awaited in finish(); a failure before then must not go unhandled.
    delivered.catch(() => undefined);
    this.deliveries[i] = delivered;
  }

  private async deliver(results: Promise<CatFileResult>[]): Promise<void> {
    for (const pending of results) this.onObject(await pending);
  }
}
