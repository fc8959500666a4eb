// Keys in names: a file, folder or archive entry named after a key leaks it as surely
// as its content does, and every report that prints the name would print it again.
// This module finds keys in names, and masks key-shaped tokens in any text that
// holds names (paths, entries, reasons), with the same redaction as snippets.
import type { Candidate } from '../model.js';
import { Detector } from './detector.js';
import { compileRule, forNames, maskShapes, type CompiledRule, type RuleDefinition } from './rules.js';

type RuleSet = readonly RuleDefinition[] | ReadonlyMap<string, RuleDefinition>;

/** Compiled once per rule set: masking runs for every finding's fingerprint. */
const compiled = new WeakMap<RuleSet, CompiledRule[]>();

function compiledFor(rules: RuleSet): CompiledRule[] {
  let list = compiled.get(rules);
  if (!list) {
    list = [...(Array.isArray(rules) ? rules : (rules as ReadonlyMap<string, RuleDefinition>).values())].map(compileRule);
    compiled.set(rules, list);
  }
  return list;
}

/** Whether `text` holds one of the rules' prefilter literals (every key does). */
function mayHold(rules: readonly CompiledRule[], text: string): boolean {
  return rules.some((r) => r.def.prefilter.some((literal) => text.includes(literal)));
}

/** `text` with every key-shaped token (valid or not) in its redacted form. */
export function maskKeys(text: string, rules: RuleSet): string {
  const list = compiledFor(rules);
  return mayHold(list, text) ? maskShapes(list, text) : text;
}

/** A key in a name. */
export interface NameHit {
  /** The file or folder whose own name holds the key: the searched path or one of its folders. */
  name: string;
  /** Line 0; column: the 1-based offset of the key in `name`. */
  candidate: Candidate;
}

/** Single names whose keys a scanner remembers (a bound on memory, not on what is found). */
const NAMES_KEPT = 10_000;

/** Each detector's counterpart for names, made once: a scanner is made per archive. */
const forNamesOf = new WeakMap<Detector, Detector>();

/** Finds keys in the names along paths: each folder's name and the file's own. */
export class NameScanner {
  private readonly detector: Detector;
  /** Folders already searched: a folder's name is one place, however many files it holds. */
  private readonly folders = new Set<string>();
  /** Keys in the single names that hold a prefilter literal: one name recurs along many paths. */
  private readonly ownHits = new Map<string, { candidate: Candidate; at: number }[]>();

  constructor(detector: Detector) {
    let named = forNamesOf.get(detector);
    if (!named) {
      named = new Detector(detector.rules.map(forNames));
      forNamesOf.set(detector, named);
    }
    this.detector = named;
  }

  /** The cheap test first: most paths hold no prefilter literal. */
  mayHold(text: string): boolean {
    return mayHold(this.detector.rules, text);
  }

  /** Keys in the names along `path`, each folder searched once per scanner. */
  scan(path: string): NameHit[] {
    return this.search(path, (folder) => {
      if (this.folders.has(folder)) return false;
      this.folders.add(folder);
      return true;
    });
  }

  /** Keys in every name along `path`, folders included each time. */
  along(path: string): NameHit[] {
    return this.search(path, () => true);
  }

  private search(path: string, wantFolder: (folder: string) => boolean): NameHit[] {
    if (!this.mayHold(path)) return [];
    const hits: NameHit[] = [];
    for (let start = 0; ; ) {
      const slash = path.indexOf('/', start);
      const name = slash === -1 ? path : path.slice(0, slash);
      if (slash === -1 || wantFolder(name)) hits.push(...this.inOwnName(name, start));
      if (slash === -1) return hits;
      start = slash + 1;
    }
  }

  /** Keys in the last part of `name`, which starts at `from`. */
  private inOwnName(name: string, from: number): NameHit[] {
    const own = name.slice(from);
    if (!this.mayHold(own)) return [];
    let found = this.ownHits.get(own);
    if (!found) {
      // An encoded key (base64 in a name) is not there as written: its name is the place.
      found = this.detector.scan(Buffer.from(own, 'utf8')).map((c) => ({ candidate: c, at: Math.max(0, own.indexOf(c.key)) }));
      if (this.ownHits.size < NAMES_KEPT) this.ownHits.set(own, found);
    }
    return found.map(({ candidate, at }) => ({ name, candidate: { ...candidate, line: 0, column: from + at + 1 } }));
  }
}
