// Where a key is pinged, and which base URLs the verifier accepts.
import { redactKey } from './redact.js';

export const DEFAULT_V2_ORIGIN = 'https://api.spreeflo.com';
export const PING_PATH = '/v1/ping';
export const BASE_URL_ENV = 'SPREEFLO_API_URL';

const V1_SUFFIX = /-sf([1-9]\d?)$/;

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
/** An IPv4-mapped IPv6 address as WHATWG URL writes it: `[::ffff:7f00:1]` for 127.0.0.1. */
const IPV4_MAPPED = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/;

/**
 * The loopback address a URL hostname stands for, or null. Decided from the text
 * alone, never by a lookup: a name that resolves to 127.0.0.1 today (`127.0.0.1.nip.io`,
 * an /etc/hosts entry) is still a name someone else controls. Expects `URL.hostname`,
 * which has already turned `127.1`, `0x7f.1`, `2130706433` and `LOCALHOST` into
 * `127.0.0.1` and `localhost`. `localhost` (with or without the root's trailing dot)
 * means 127.0.0.1, so it is never resolved either.
 */
export function loopbackAddress(hostname: string): string | null {
  if (hostname === 'localhost' || hostname === 'localhost.') return '127.0.0.1';
  if (hostname === '[::1]') return hostname;
  const mapped = IPV4_MAPPED.exec(hostname);
  const ipv4 = mapped ? fromMapped(mapped[1]!, mapped[2]!) : hostname;
  return IPV4_LOOPBACK.test(ipv4) ? ipv4 : null;
}

function fromMapped(high: string, low: string): string {
  const h = parseInt(high, 16);
  const l = parseInt(low, 16);
  return `${h >> 8}.${h & 255}.${l >> 8}.${l & 255}`;
}

/**
 * Parse and check a base URL: https anywhere, plain http only on a loopback host
 * (a key must never cross a network in clear text). Throws a clear Error otherwise.
 * Returns the base without a trailing slash; a plain-http base names the loopback
 * address itself, so the request goes there without resolving any name.
 */
export function checkBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`Spreeflo API base URL is not a valid URL: ${JSON.stringify(raw.slice(0, 200))}`);
  }
  const shown = `${url.protocol}//${url.host}`;
  if (url.username || url.password) {
    throw new Error(`Spreeflo API base URL must not carry credentials (${shown})`);
  }
  if (url.protocol === 'https:') {
    // fine
  } else if (url.protocol === 'http:') {
    const address = loopbackAddress(url.hostname);
    if (address === null) {
      throw new Error(
        `Refusing plain http:// Spreeflo API base URL ${shown}: keys would be sent unencrypted. ` +
          'Use https://, or http:// only on a loopback address (127.0.0.0/8, [::1], or localhost for 127.0.0.1); ' +
          'names are not looked up.',
      );
    }
    url.hostname = address;
  } else {
    throw new Error(`Spreeflo API base URL must use https:// (got ${url.protocol}//)`);
  }
  if (url.search || url.hash) {
    throw new Error(`Spreeflo API base URL must not have a query or fragment (${shown})`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The data centre (1..24) of a v1 key, from its `-sf<dc>` suffix, or null. */
export function v1DataCentre(key: string): number | null {
  const m = V1_SUFFIX.exec(key);
  if (!m) return null;
  const dc = Number(m[1]);
  return dc >= 1 && dc <= 24 ? dc : null;
}

/** The full ping URL for a key. `baseUrl` (already checked or not) overrides every host. */
export function pingUrlForKey(key: string, ruleId: string, baseUrl?: string): string {
  if (baseUrl) return `${checkBaseUrl(baseUrl)}${PING_PATH}`;
  if (ruleId === 'spreeflo-api-key-v1') {
    const dc = v1DataCentre(key);
    if (dc === null) {
      throw new Error(`Cannot tell the data centre of v1 key ${redactKey(key)}: no -sf<1..24> suffix`);
    }
    return `https://sf${dc}.api.spreeflo.com${PING_PATH}`;
  }
  return `${DEFAULT_V2_ORIGIN}${PING_PATH}`;
}
