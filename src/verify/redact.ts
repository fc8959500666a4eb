// Printable forms of a key: never the whole key in a message, a detail or a log.

/** `sfk_ZSXNdrTN…cF8u`-style: the first 8 and last 4 characters, or nothing for short strings. */
export function redactKey(key: string): string {
  if (key.length <= 16) return '…';
  return `${key.slice(0, 8)}…${key.slice(-4)}`;
}

/** Replace every occurrence of `key` in `text` by its redacted form. */
export function scrubKey(text: string, key: string): string {
  if (!key) return text;
  return text.split(key).join(redactKey(key));
}
