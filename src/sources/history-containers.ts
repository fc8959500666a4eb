// Blobs that need a reader or OCR (documents, archives, pictures) are read a second
// time, a few at a time, beside the main read: those readers are asynchronous and
// slow, and holding every such blob from the main stream until a reader is free
// could take hundreds of megabytes. Git LFS pointers are read here too: for them,
// the content the pointer names, when the local LFS store has it.
import { CatFile, notReadReason } from '../git/cat-file.js';
import { LfsStore, lfsPointer } from '../git/lfs.js';
import type { ContentResult, ContentScanner } from '../scan/content.js';

/** Blobs read and opened at once. */
const AT_ONCE = 8;

export class ContainerReads {
  private readonly queue: string[] = [];
  private running: Promise<void> | null = null;
  private failure: unknown = null;
  private readonly lfs: LfsStore;

  constructor(
    private readonly repoRoot: string,
    private readonly content: ContentScanner,
    private readonly maxFileSize: number,
    private readonly onResult: (blob: string, result: ContentResult) => void,
  ) {
    this.lfs = new LfsStore(repoRoot);
  }

  add(blob: string): void {
    this.queue.push(blob);
    if (this.running) return;
    this.running = this.drain();
    // Reported by settled(); until then a failure must not go unhandled.
    this.running.catch(() => undefined);
  }

  /** Every blob added so far is read. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
    if (this.failure) throw this.failure;
  }

  private async scan(data: Buffer): Promise<ContentResult> {
    const pointer = lfsPointer(data);
    if (!pointer) return this.content.scan('', data);
    const lfs = await this.lfs.read(pointer, this.maxFileSize);
    return 'skip' in lfs ? { found: [], skipped: [{ reason: lfs.skip }] } : this.content.scan('', lfs.data);
  }

  private async drain(): Promise<void> {
    const cat = new CatFile(this.repoRoot, { skipDamaged: true });
    try {
      while (this.queue.length > 0) {
        const batch = cat.request(this.queue.splice(0, AT_ONCE));
        await Promise.all(
          batch.map(async (pending) => {
            const obj = await pending;
            this.onResult(obj.id, 'missing' in obj ? { found: [], skipped: [{ reason: notReadReason(obj) }] } : await this.scan(obj.data));
          }),
        );
      }
    } catch (err) {
      this.failure ??= err;
      this.queue.length = 0;
    } finally {
      cat.close();
      // No await between the empty queue and this line: an add() after it starts a new drain.
      this.running = null;
    }
  }
}
