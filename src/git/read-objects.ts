// Reads many objects through `git cat-file --batch` while their ids are still being
// listed: ids go out in batches to a few cat-file processes (git's inflating and
// delta resolution is the slow part), each batch a run of neighbours in pack order,
// so each process keeps its locality. A process holds only a few batches at a time,
// so what git has read but we have not scanned stays small.
import { CatFile, type CatFileResult } from './cat-file.js';

const BATCH = 256;
/** Batches a process holds at once: one being answered, one more so git never waits on us. */
const AHEAD = 2;

export class ObjectReader {
  private readonly streams: CatFile[] = [];
  private readonly inFlight: number[] = [];
  private readonly deliveries: Promise<void>[] = [];
  private readonly ready: string[][] = [];
  private batch: string[] = [];
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
    if (this.batch.length === BATCH) this.queueBatch();
  }

  /** Every object delivered; the processes end. */
  async finish(): Promise<void> {
    this.queueBatch();
    while (this.ready.length > 0 || this.inFlight.some((n) => n > 0)) await Promise.all(this.deliveries);
    this.close();
  }

  close(): void {
    for (const cat of this.streams) cat.close();
  }

  private queueBatch(): void {
    if (this.batch.length === 0) return;
    this.ready.push(this.batch);
    this.batch = [];
    this.send();
  }

  /** Hands ready batches to processes with room, starting processes as needed. */
  private send(): void {
    for (let i = 0; i < this.maxStreams && this.ready.length > 0; i++) {
      this.inFlight[i] ??= 0;
      while (this.inFlight[i]! < AHEAD && this.ready.length > 0) this.sendTo(i, this.ready.shift()!);
    }
  }

  private sendTo(i: number, ids: string[]): void {
    const cat = (this.streams[i] ??= new CatFile(this.cwd, { skipDamaged: true }));
    this.inFlight[i]!++;
    const results = cat.request(ids);
    // When the process fails every result fails with it; the first one awaited is reported.
    for (const pending of results) pending.catch(() => undefined);
    const delivered = (this.deliveries[i] ?? Promise.resolve()).then(async () => {
      for (const pending of results) this.onObject(await pending);
      this.inFlight[i]!--;
      this.send();
    });
    // Awaited in finish(); a failure before then must not go unhandled.
    delivered.catch(() => undefined);
    this.deliveries[i] = delivered;
  }
}
