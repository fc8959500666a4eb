// The parts of a raw commit object a report needs: author, date and message.

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

export function parseCommit(data: Buffer): ParsedCommit {
  const headers = data.toString('utf8', 0, messageStart(data));
  const m = /^author (.*) (\d+) ([+-]\d{4})$/m.exec(headers);
  return {
    author: m ? m[1]! : '',
    date: m ? isoDate(Number(m[2]), m[3]!) : '',
  };
}
