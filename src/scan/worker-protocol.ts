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
  /**
   * One slot per path, shared with the pool (a SharedArrayBuffer): a file is scanned by
   * whichever thread first swaps its slot from FREE, so the main thread, its own files
   * done, takes files a worker holds and has not begun instead of waiting for them.
   */
  claims: Int32Array;
}

export const FREE = 0;
export const BY_WORKER = 1;
export const BY_MAIN = 2;

export interface WorkerReply {
  batch: number;
  /** null: the main thread took the file. */
  results: (FileScan | null)[];
}
