// One packed blob, read straight from its pack and looked at where it was read (a
// worker thread): it goes back as what the detector found in it, or as "needs a
// reader" (a document, archive or picture, or a Git LFS pointer, read again by id),
// never as its bytes.
import type { Candidate } from '../model.js';
import { Detector } from '../detect/detector.js';
import { compileRule, type RuleDefinition } from '../detect/rules.js';
import { needsReaderForData } from '../formats/kinds.js';
import type { PackFile } from './pack-index.js';
import { PackStore } from './pack-reader.js';
import { lfsPointer } from './lfs.js';

export interface PackedItem {
  id: string;
  pack: number;
  offset: number;
}

export type PackedResult =
  | { id: string; bytes: number; found: Candidate[]; needsReader: boolean }
  /** Not readable from the pack (damaged, or removed by a gc under us): read through cat-file instead. */
  | { id: string; failed: string };

export interface PackedScanInit {
  /** The packs, numbered as the items' `pack`. */
  packs: PackFile[];
  rules: RuleDefinition[];
  /** Pictures are OCR'd (history --ocr): they need a reader too. */
  images: boolean;
}

export class PackedScanner {
  private readonly store: PackStore;
  private readonly detector: Detector;

  constructor(private readonly init: PackedScanInit) {
    this.store = new PackStore(init.packs);
    this.detector = new Detector(init.rules.map(compileRule));
  }

  scan(item: PackedItem): PackedResult {
    let data: Buffer;
    try {
      const obj = this.store.read(item);
      if (obj.type !== 'blob') throw new Error(`a ${obj.type}, not a blob`);
      data = obj.data;
    } catch (err) {
      return { id: item.id, failed: (err as Error).message };
    }
    if (needsReaderForData(data, this.init.images) || lfsPointer(data)) return { id: item.id, bytes: data.length, found: [], needsReader: true };
    return { id: item.id, bytes: data.length, found: this.detector.scan(data), needsReader: false };
  }

  close(): void {
    this.store.close();
  }
}
