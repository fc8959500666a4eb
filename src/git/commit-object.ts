// The parts of a raw commit or tag object a report needs: author (tagger), date and message.

export interface ParsedCommit {
  author: string;
  date: string;
}

/** `1700000000 +0130` as an ISO 8601 date in that offset, as `git log --format=%aI` prints. */
export function isoDate(seconds: number, tz: string): string {
  const sign = tz.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(3, 5)));
  const local = new Date((seconds + minutes * 60) * 1000).toISOString().slice(0, 19);
  return `${local}${tz.slice(0, 3)}:${tz.slice(3, 5)}`;
}

/** Byte offset where a raw commit's message starts (after the blank line that ends its headers). */
export function messageStart(data: Buffer): number {
  const end = data.indexOf('\n\n');
  return end === -1 ? data.length : end + 2;
}

function headersOf(data: Buffer): string {
  return data.toString('utf8', 0, messageStart(data));
}

/** An `author`/`tagger` header: who, and when as an ISO date. */
function signature(headers: string, field: string): ParsedCommit {
  const m = new RegExp(`^${field} (.*) (\\d+) ([+-]\\d{4})$`, 'm').exec(headers);
  return {
    author: m ? m[1]! : '',
    date: m ? isoDate(Number(m[2]), m[3]!) : '',
  };
}

export function parseCommit(data: Buffer): ParsedCommit {
  return signature(headersOf(data), 'author');
}

export interface ParsedTag {
  name: string;
  /** The tagged object and its type (usually a commit). */
  object: string;
  type: string;
  tagger: string;
  date: string;
}

/** An annotated tag object's headers; its message starts, as a commit's does, at messageStart. */
export function parseTag(data: Buffer): ParsedTag {
  const headers = headersOf(data);
  const header = (name: string) => new RegExp(`^${name} (.*)$`, 'm').exec(headers)?.[1] ?? '';
  const { author, date } = signature(headers, 'tagger');
  return { name: header('tag'), object: header('object'), type: header('type'), tagger: author, date };
}
