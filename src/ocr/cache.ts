// Results of images already read, so a re-scan skips them. The cache folder is a
// place someone else may be able to write to (a shared machine, a folder made
// 0755 by hand), and its entries hold keys: so an entry is trusted only if this
// user's secret made it, and no entry holds a key in clear. The secret (32 random
// bytes, file `secret`, 0600) lives in the cache folder; from it come two keys:
// one names an entry (HMAC-SHA256 of format, engine tag and image bytes, so no
// one without the secret can even tell which images were read), one encrypts it
// (AES-256-GCM, the entry's name as associated data, so an entry moved to another
// name, edited or forged fails to open and is read again by OCR). See docs/ocr.md.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { constants as fsConstants, type Stats } from 'node:fs';
import { chmod, type FileHandle, link, mkdir, open, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageResult } from './types.js';

/** Part of every entry's name and associated data: entries of older formats never match. */
const FORMAT = 'spreeflo-scan-ocr-cache-2';
const SECRET_FILE = 'secret';
const SECRET_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** No entry this cache writes comes near this: anything larger is not read. */
const MAX_ENTRY_BYTES = 1 << 20;
/** Never blocks on a FIFO, never follows a symlink in the last component. */
const OPEN_SAFELY = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;
/** Folders of entries (the first two hex digits of their names), the only things a new secret clears. */
const ENTRY_FOLDER = /^[0-9a-f]{2}$/;

const posix = process.platform !== 'win32';

/** Why `st` may not hold this user's cache, or null when it may. */
function untrusted(st: Stats, what: 'folder' | 'file', mode: number | null): string | null {
  if (what === 'folder' ? !st.isDirectory() : !st.isFile()) return `not a ${what === 'folder' ? 'folder' : 'regular file'}`;
  if (!posix) return null;
  if (st.uid !== process.getuid!()) return 'not owned by you';
  if (mode !== null && (st.mode & 0o777) !== mode) return `mode ${(st.mode & 0o777).toString(8)}, not ${mode.toString(8)}`;
  return null;
}

/** Opens `path` without following a symlink there; the error message says why it cannot be used. */
async function openOwn(path: string, what: 'folder' | 'file'): Promise<{ handle: FileHandle; st: Stats }> {
  let handle;
  try {
    handle = await open(path, OPEN_SAFELY | (what === 'folder' ? fsConstants.O_DIRECTORY : 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // O_NOFOLLOW fails with ELOOP on a symlink (and ENOTDIR for a folder on some systems).
    if (code === 'ELOOP' || code === 'ENOTDIR' || code === 'EMLINK') throw new Error(`${path} is a symlink or not a ${what}`);
    throw err;
  }
  return { handle, st: await handle.stat() };
}

/**
 * The folder exists, is no symlink, is the user's own, and is 0700 (an existing
 * one is tightened). Checked and changed through one descriptor, so a symlink
 * put in its place meanwhile is never chmod-ed.
 */
async function guardFolder(dir: string): Promise<void> {
  // A symlink there (even a dangling one) fails below, with the reason.
  await mkdir(dir, { recursive: true, mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  const { handle, st } = await openOwn(dir, 'folder');
  try {
    const why = untrusted(st, 'folder', null);
    if (why) throw new Error(`${dir} is ${why}`);
    if (posix && (st.mode & 0o777) !== 0o700) await handle.chmod(0o700);
  } finally {
    await handle.close();
  }
}

/** Reads the file at `path` if it is the user's own regular file (with `mode`, if given), at most `max` bytes. */
async function readOwn(path: string, mode: number | null, max: number): Promise<Buffer> {
  const { handle, st } = await openOwn(path, 'file');
  try {
    const why = untrusted(st, 'file', mode);
    if (why) throw new Error(`${path} is ${why}`);
    if (st.size > max) throw new Error(`${path} is too large`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * This user's secret, made on first use. A new secret makes every entry already
 * there unreadable: they are removed (they may hold keys in clear, written by an
 * older version). Two runs starting at once agree on one secret: each writes its
 * own, and only the first link into place counts.
 */
async function loadSecret(dir: string): Promise<Buffer> {
  const file = join(dir, SECRET_FILE);
  try {
    return await readSecret(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, randomBytes(SECRET_BYTES), { mode: 0o600, flag: 'wx' });
  // Whatever the umask: the secret is refused unless it is exactly 0600.
  await chmod(tmp, 0o600);
  let made = true;
  try {
    await link(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    made = false;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  if (made) {
    for (const name of await readdir(dir)) if (ENTRY_FOLDER.test(name)) await rm(join(dir, name), { recursive: true, force: true });
  }
  return readSecret(file);
}

async function readSecret(file: string): Promise<Buffer> {
  let secret: Buffer;
  try {
    secret = await readOwn(file, posix ? 0o600 : null, SECRET_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
    throw new Error(`${(err as Error).message} (remove it to start a new cache)`);
  }
  if (secret.length !== SECRET_BYTES) throw new Error(`${file} is not ${SECRET_BYTES} bytes (remove it to start a new cache)`);
  return secret;
}

const derive = (secret: Buffer, use: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `${FORMAT} ${use}`, 32));

export class ResultCache {
  private readonly nameKey: Buffer;
  private readonly entryKey: Buffer;

  private constructor(private readonly dir: string, private readonly tag: string, secret: Buffer) {
    this.nameKey = derive(secret, 'names');
    this.entryKey = derive(secret, 'entries');
  }

  /**
   * The cache in `dir` (the folders in `guard` too are the tool's own: checked and
   * tightened the same way). Throws, with the reason, when it cannot be trusted.
   */
  static async open(dir: string, tag: string, guard: string[] = []): Promise<ResultCache> {
    for (const folder of [...guard, dir]) await guardFolder(folder);
    return new ResultCache(dir, tag, await loadSecret(dir));
  }

  key(image: Buffer): string {
    return createHmac('sha256', this.nameKey).update(FORMAT).update('\0').update(this.tag).update('\0').update(image).digest('hex');
  }

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), key);
  }

  /** Binds an entry to its name, format and engine: a copy under another name does not open. */
  private aad(key: string): Buffer {
    return Buffer.from(`${FORMAT}\0${this.tag}\0${key}`);
  }

  async get(key: string): Promise<ImageResult | undefined> {
    try {
      const data = await readOwn(this.path(key), null, MAX_ENTRY_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', this.entryKey, data.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(this.aad(key));
      decipher.setAuthTag(data.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]);
      const result = JSON.parse(plain.toString('utf8')) as ImageResult;
      return Array.isArray(result?.candidates) ? result : undefined;
    } catch {
      // Missing, not ours, or not made with this secret: read the image again.
      return undefined;
    }
  }

  async set(key: string, result: ImageResult): Promise<void> {
    try {
      const file = this.path(key);
      await mkdir(join(this.dir, key.slice(0, 2)), { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      });
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.entryKey, nonce);
      cipher.setAAD(this.aad(key));
      const body = Buffer.concat([cipher.update(JSON.stringify(result), 'utf8'), cipher.final()]);
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, Buffer.concat([nonce, cipher.getAuthTag(), body]), { mode: 0o600, flag: 'wx' });
      await rename(tmp, file);
    } catch {
      // A cache that cannot be written only costs a re-read next time.
    }
  }
}
