// Keys a shard hands to the merge job, sealed. Only the merge talks to Spreeflo (one ping
// per unique key for the whole organisation), so it needs the keys themselves; a shard's
// report travels as a CI artifact, which everyone who can read the repository can download.
// With --carry-keys each key is sealed (AES-256-GCM, its SHA-256 as associated data, so a
// sealed key moved to another hash does not open) under a secret from the environment that
// the shards and the merge job share (a CI secret): the artifact alone reveals nothing.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { UsageError } from '../errors.js';

export const SECRET_ENV = 'SPREEFLO_SCAN_AUDIT_SECRET';
/** Short enough to type, long enough that guessing it offline is out of reach. */
const MIN_SECRET_CHARS = 20;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Fixed: every shard and the merge must derive the same key with nothing else shared. */
const SALT = 'spreeflo-scan audit sealed keys v1';

/** The sealing key from the environment; `why` says which flag needs it. */
export function sealingKey(why: string, env: NodeJS.ProcessEnv = process.env): Buffer {
  const secret = env[SECRET_ENV] ?? '';
  if (secret.length < MIN_SECRET_CHARS) {
    throw new UsageError(`${why} needs ${SECRET_ENV}: a secret of at least ${MIN_SECRET_CHARS} characters that the shards and the merge job share (for example a CI secret)`);
  }
  // scrypt, not a plain hash: the secret may be a passphrase someone typed.
  return scryptSync(secret, SALT, 32);
}

export function sealKey(key: string, keySha256: string, sealing: Buffer): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealing, nonce);
  cipher.setAAD(Buffer.from(keySha256));
  const body = Buffer.concat([cipher.update(key, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, cipher.getAuthTag(), body]).toString('base64');
}

/** The key, or null when it was sealed under another secret (or is damaged). */
export function openKey(sealed: string, keySha256: string, sealing: Buffer): string | null {
  try {
    const data = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', sealing, data.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(keySha256));
    decipher.setAuthTag(data.subarray(NONCE_BYTES, NONCE_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
