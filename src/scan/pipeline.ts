// The pipeline: sources -> detector -> filters -> verifier -> reporters.
// Sources run the detector on what they read (so reading and detecting can share
// a worker), then every finding goes through the same filters and verifier.
import type { Skipped } from '../model.js';
import type { RuleDefinition } from '../detect/rules.js';
import type { Finding } from '../finding.js';
import type { ImageScanOptions } from './images.js';
import type { ContainerLimits } from '../formats/types.js';
import { appendAll } from '../arrays.js';
import { applyFilters, type Filter, type Suppressed, type UnreadAcceptance } from '../filters/filters.js';
import { isUnread } from '../model.js';

export interface SourceContext {
  rules: RuleDefinition[];
  ruleById: Map<string, RuleDefinition>;
  maxFileSize: number;
  /** How images are read; null: images are not OCR'd (their bytes are still scanned). */
  ocr: ImageScanOptions | null;
  /** Bounds for archives and documents. */
  limits: ContainerLimits;
  onProgress?: (files: number, bytes: number) => void;
}

export interface SourceOutput {
  findings: Finding[];
  skipped: Skipped[];
  files: number;
  bytes: number;
  notes: string[];
}

export interface Source {
  run(ctx: SourceContext): Promise<SourceOutput>;
}

export type Verifier = (findings: Finding[]) => Promise<void>;

export interface ScanResult {
  findings: Finding[];
  suppressed: Suppressed[];
  skipped: Skipped[];
  notes: string[];
  stats: { files: number; bytes: number; seconds: number };
}

export interface PipelineOptions {
  sources: Source[];
  context: SourceContext;
  filters: Filter[];
  /** Unread content at paths the user set aside is listed as accepted, not failing. */
  acceptUnread?: UnreadAcceptance;
  verify?: Verifier;
  /** Known before the run (how the suppression settings were chosen): the report's first notes. */
  notes?: string[];
}

function accepting(skip: Skipped, accept: UnreadAcceptance): Skipped {
  const why = isUnread(skip) ? accept(skip.path) : null;
  return why ? { ...skip, reason: `${skip.reason} (${why})`, unreadContent: false } : skip;
}

export async function runPipeline(opts: PipelineOptions): Promise<ScanResult> {
  const started = Date.now();
  const result: ScanResult = { findings: [], suppressed: [], skipped: [], notes: [...(opts.notes ?? [])], stats: { files: 0, bytes: 0, seconds: 0 } };
  const all: Finding[] = [];
  for (const source of opts.sources) {
    const out = await source.run(opts.context);
    appendAll(all, out.findings);
    const accept = opts.acceptUnread;
    appendAll(result.skipped, accept ? out.skipped.map((s) => accepting(s, accept)) : out.skipped);
    appendAll(result.notes, out.notes);
    result.stats.files += out.files;
    result.stats.bytes += out.bytes;
  }
  const { kept, suppressed } = applyFilters(all, opts.filters);
  result.findings = kept;
  result.suppressed = suppressed;
  if (opts.verify) await opts.verify(kept);
  result.stats.seconds = (Date.now() - started) / 1000;
  return result;
}
