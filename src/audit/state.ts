// The state folder: results.jsonl (the header, then each finished repository) and work/
// (clones being scanned). A run with the same folder continues where the last one stopped.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { printable } from '../sources/names.js';
import { cutUnfinishedLine, readResults, ResultsWriter, type AuditHeader } from './results.js';
import { shardText } from './repo-list.js';
import { alive } from '../processes.js';

export const RESULTS_FILE = 'results.jsonl';

export interface AuditState {
  resultsFile: string;
  workDir: string;
  /** Repositories already recorded, by name: never scanned or reported again. */
  done: Set<string>;
  /** Keys found so far (SHA-256), for the progress line. */
  keys: Set<string>;
  failed: number;
  writer: ResultsWriter;
  close(): void;
}

/** What must match for a run to continue another's results: the same list, shard, rules and mode. */
function sameAudit(a: AuditHeader, b: AuditHeader): string | null {
  if (a.list.sha256 !== b.list.sha256) return 'a different --repos list';
  if (a.shard.index !== b.shard.index || a.shard.count !== b.shard.count) return `shard ${shardText(a.shard)}, not ${shardText(b.shard)}`;
  if (a.rules !== b.rules || a.tool !== b.tool) return `spreeflo-scan ${a.tool} and its rules, not ${b.tool}'s`;
  if (a.mode.files !== b.mode.files || a.mode.ocr !== b.mode.ocr) return 'other --files or --ocr settings';
  return null;
}

/**
 * One run per state folder: two would scan and record the same repositories. A lock left
 * by a killed run is taken over; so is one holding this very process id on this host
 * (a restarted container is often process 1 again).
 */
function lock(dir: string): () => void {
  const file = join(dir, 'lock');
  const me = `${hostname()} ${process.pid}`;
  for (;;) {
    try {
      writeFileSync(file, me, { flag: 'wx', mode: 0o600 });
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const [host, pid] = readFileSync(file, 'utf8').split(' ');
    if (host === hostname() && Number(pid) !== process.pid && alive(Number(pid))) {
      throw new UsageError(`--state ${printable(dir)} is in use by process ${pid}: one audit run per state folder`);
    }
    if (host !== hostname()) throw new UsageError(`--state ${printable(dir)} is locked by host ${printable(host ?? '')}: one audit run per state folder (remove ${printable(file)} if that run is gone)`);
    unlinkSync(file);
  }
}

export async function openState(dir: string, header: AuditHeader): Promise<AuditState> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const unlock = lock(dir);
  try {
    const resultsFile = join(dir, RESULTS_FILE);
    const done = new Set<string>();
    const keys = new Set<string>();
    let failed = 0;
    if (existsSync(resultsFile)) cutUnfinishedLine(resultsFile);
    const resuming = existsSync(resultsFile) && statSync(resultsFile).size > 0;
    if (resuming) {
      for await (const line of readResults(resultsFile)) {
        if (line.type === 'audit') {
          const differs = sameAudit(line, header);
          if (differs) throw new UsageError(`--state ${printable(dir)} holds an audit of ${differs}: give another --state folder`);
        } else {
          done.add(line.repo);
          if (line.status === 'failed') failed++;
          for (const k of line.report?.keys ?? []) keys.add(k.keySha256);
        }
      }
    }
    const writer = new ResultsWriter(resultsFile);
    if (!resuming) writer.append(header);
    // Clones a killed run left behind are started again from scratch.
    const workDir = join(dir, 'work');
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { mode: 0o700 });
    return {
      resultsFile,
      workDir,
      done,
      keys,
      failed,
      writer,
      close() {
        writer.close();
        rmSync(workDir, { recursive: true, force: true });
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}
