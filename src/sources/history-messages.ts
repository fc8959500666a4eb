// The messages history holds besides commit messages: annotated tags' and notes'.
// A tag message counts when a ref reaches its tag; in range mode, only when it tags
// a commit of the range. A note is a blob in the history of a notes ref
// (refs/notes/*), at a path named after the object it annotates: the walk over
// --all finds it like any file, and it is reported as a note; a range's walk does
// not reach notes refs, so for a range the notes on its commits, as the notes refs
// hold them now, are read here.
import type { Detector } from '../detect/detector.js';
import { toFinding, type Finding } from '../finding.js';
import type { Origin, Skipped } from '../model.js';
import { CatFile, notReadReason } from '../git/cat-file.js';
import { messageStart, parseTag } from '../git/commit-object.js';
import { gitLines } from '../git/lines.js';
import { gitOk } from '../git/run.js';
import type { SourceContext } from '../scan/pipeline.js';

interface TagFindings {
  id: string;
  findings: Finding[];
}

export class TagMessages {
  /** Every tag object read -> the object it tags (another tag, for a nested one). */
  private readonly targets = new Map<string, string>();
  private readonly found: TagFindings[] = [];

  add(id: string, data: Buffer, detector: Detector, ctx: SourceContext): void {
    const tag = parseTag(data);
    this.targets.set(id, tag.object);
    const candidates = detector.scan(data.subarray(messageStart(data)));
    if (candidates.length === 0) return;
    const origin: Origin = { source: 'tag-message', path: null, tag: tag.name, tagObject: id, author: tag.tagger, date: tag.date };
    if (tag.type === 'commit') origin.commit = tag.object;
    this.found.push({ id, findings: candidates.map((c) => toFinding(c, origin, ctx.ruleById)) });
  }

  /** The findings of tags a ref reaches; with `range`, only of tags whose commit is in it. */
  async inScope(cwd: string, range: Set<string> | null): Promise<Finding[]> {
    if (this.found.length === 0) return [];
    const reached = new Set<string>();
    await gitLines(['for-each-ref', '--format=%(objectname)'], cwd, (id) => {
      for (let t = id; this.targets.has(t) && !reached.has(t); t = this.targets.get(t)!) reached.add(t);
    });
    return this.found.filter((t) => reached.has(t.id) && (!range || range.has(this.peel(t.id)))).flatMap((t) => t.findings);
  }

  /** What a tag finally tags, through nested tags. */
  private peel(id: string): string {
    const seen = new Set<string>();
    let t = id;
    while (this.targets.has(t) && !seen.has(t)) {
      seen.add(t);
      t = this.targets.get(t)!;
    }
    return t;
  }
}

/** The object a note's path names (`ab/cdef…`, with or without fan-out folders); null for other files. */
function annotated(path: string): string | null {
  const id = path.replaceAll('/', '');
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(id) ? id : null;
}

/** The commits of every notes ref's history. */
export async function notesCommits(cwd: string): Promise<Set<string>> {
  const out = await gitOk(['rev-list', '--glob=refs/notes'], cwd);
  return new Set(out.toString('latin1').split('\n').filter(Boolean));
}

/** A finding of the walk as a note when its commit is a notes commit: `path` the annotated object. */
export function noteOrHistory(origin: Origin, notes: Set<string>): Origin {
  if (!origin.commit || !notes.has(origin.commit)) return origin;
  return { ...origin, source: 'note', path: annotated(origin.path ?? '') ?? origin.path };
}

interface Note {
  ref: string;
  blob: string;
  /** In the notes tree (with fan-out folders). */
  path: string;
  target: string;
}

/** The notes on `commits` in every notes ref (`refs`), each attributed to the notes commit that last wrote it. */
export async function rangeNotes(cwd: string, refs: string[], commits: Set<string>, detector: Detector, ctx: SourceContext, skipped: Skipped[]): Promise<Finding[]> {
  const notes: Note[] = [];
  for (const ref of refs) {
    await gitLines(['ls-tree', '-r', ref], cwd, (line) => {
      const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/.exec(line);
      const target = m ? annotated(m[2]!) : null;
      if (m && target && commits.has(target)) notes.push({ ref, blob: m[1]!, path: m[2]!, target });
    });
  }
  if (notes.length === 0) return [];
  const cat = new CatFile(cwd, { skipDamaged: true });
  const blobs = cat.request(notes.map((n) => n.blob));
  cat.close();
  const findings: Finding[] = [];
  for (const [i, note] of notes.entries()) {
    const blob = await blobs[i]!;
    if ('missing' in blob) {
      skipped.push({ path: `note on ${note.target} (blob ${note.blob})`, reason: notReadReason(blob) });
      continue;
    }
    const candidates = detector.scan(blob.data);
    if (candidates.length === 0) continue;
    const log = (await gitOk(['log', '-1', '--format=%H%x00%an <%ae>%x00%aI', note.ref, '--', note.path], cwd)).toString('utf8').trim();
    const [commit, author, date] = log.split('\x00');
    const origin: Origin = { source: 'note', path: note.target, commit: commit!, author: author ?? '', date: date ?? '' };
    findings.push(...candidates.map((c) => toFinding(c, origin, ctx.ruleById)));
  }
  return findings;
}
