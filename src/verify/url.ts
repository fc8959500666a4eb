// Where a key is pinged, and which base URLs the verifier accepts.
import { redactKey } from './redact.js';

export const DEFAULT_V2_ORIGIN = 'https://api.spreeflo.com';
export const PING_PATH = '/v1/ping';
export const BASE_URL_ENV = 'SPREEFLO_API_URL';

const V1_SUFFIX = /-sf([1-9]\d?)$/;

/** True for 127.0.0.0/8, localhost and ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost' || h === '::1') return true;
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return !!m && m.slice(1).every((part) => Number(part) <= 255);
}

/**
 * Parse and check a base URL: https anywhere, plain http only on a loopback host
 * (a key must never cross a network in clear text). Throws a clear Error otherwise.
 * Returns the base without a trailing slash.
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
    if (!isLoopbackHost(url.hostname)) {
      throw new Error(
        `Refusing plain http:// Spreeflo API base URL ${shown}: keys would be sent unencrypted. ` +
          'Use https://, or http:// only on a loopback host (127.0.0.0/8, localhost, ::1).',
      );
    }
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
