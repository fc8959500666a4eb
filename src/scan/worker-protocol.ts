// Messages between the scan pool and its worker threads (plain data only).
import type { RuleDefinition } from '../detect/rules.js';
import type { FileScan, ReadLimits, ReadOptions } from './read-file.js';

/** A worker's first message. */
export interface WorkerInit {
  rules: RuleDefinition[];
  limits: ReadLimits;
  read: ReadOptions;
}

export interface WorkerRequest {
  batch: number;
  paths: string[];
}

export interface WorkerReply {
  batch: number;
  results: FileScan[];
}
