// Git LFS: a tracked file's blob is a small pointer naming its content by SHA-256;
// the content itself is in the LFS store (`git add` puts it there, a fetch brings it).
// Pointers are known by their content, not by .gitattributes, which a commit can change.
import { join, resolve } from 'node:path';
import { git } from './run.js';

/** The spec's limit: a pointer is smaller than this. */
const POINTER_MAX = 1024;
const VERSION = Buffer.from('version https://git-lfs.github.com/spec/v1');
export const LFS_NOT_FETCHED = 'LFS object not fetched';

export interface LfsPointer {
  oid: string;
}

export function lfsPointer(data: Buffer): LfsPointer | null {
  if (data.length >= POINTER_MAX || !data.subarray(0, VERSION.length).equals(VERSION)) return null;
  // Only a well-formed oid ever becomes part of a path.
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(data.toString('latin1'))?.[1];
  return oid ? { oid } : null;
}

export type LfsRead = { data: Buffer } | { skip: string };

export class LfsStore {
  private objects: Promise<string> | undefined;

  constructor(private readonly cwd: string) {}

  /** `lfs.storage` (relative to the git folder) or `<git common dir>/lfs`, then `objects`; asked once, when a pointer turns up. */
  private objectsDir(): Promise<string> {
    this.objects ??= Promise.all([git(['rev-parse', '--git-common-dir'], this.cwd), git(['config', '--get', 'lfs.storage'], this.cwd)]).then(
      ([common, storage]) => {
        const gitDir = resolve(this.cwd, common.stdout.toString('utf8').trim());
        const configured = storage.code === 0 ? storage.stdout.toString('utf8').trim() : '';
        return join(configured ? resolve(gitDir, configured) : join(gitDir, 'lfs'), 'objects');
      },
    );
    return this.objects;
  }

  /** The content a pointer names, or why it was not read. */
  async read(pointer: LfsPointer, maxFileSize: number): Promise<LfsRead> {
    const { oid } = pointer;
    // Loaded here, not at the top: a commit with no pointer (nearly all) never pays for node:fs/promises.
    const { readFile, stat } = process.getBuiltinModule('node:fs/promises');
    const path = join(await this.objectsDir(), oid.slice(0, 2), oid.slice(2, 4), oid);
    const size = await stat(path).then(
      (s) => (s.isFile() ? s.size : null),
      () => null,
    );
    if (size === null) return { skip: LFS_NOT_FETCHED };
    if (size > maxFileSize) return { skip: `too large (${size} bytes > --max-file-size)` };
    return { data: await readFile(path) };
  }
}
