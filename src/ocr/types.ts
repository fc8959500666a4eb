// Public shapes of the OCR module (re-exported by index.ts).

export interface ImageCandidate {
  ruleId: 'spreeflo-api-key-v2' | 'spreeflo-api-key-v1';
  key: string;
  /** 'high': a v2 key whose checksum holds. v1 keys (no checksum) are always 'low': see docs/ocr.md. */
  confidence: 'high' | 'low';
  /** Pixel box of the key in the original image. */
  box: { x: number; y: number; width: number; height: number };
  /** What the reading could not see (a key partly under an overlay): shown with the finding. */
  note?: string;
}

export interface ImageResult {
  candidates: ImageCandidate[];
  /** Why the image was not read: 'empty file', 'corrupt image', 'too small to hold a readable key', 'too large (...)'. */
  skipped?: string;
}

export interface OcrPool {
  recognize(image: Buffer, name: string): Promise<ImageResult>;
  close(): Promise<void>;
}

export interface OcrPoolOptions {
  /** Worker count; default os.availableParallelism(). */
  workers?: number;
  /** Folder for the result cache; null disables it. Default `.spreeflo-scan-cache/ocr`. */
  cacheDir?: string | null;
  /** The tool's own folder holding `cacheDir`: checked and tightened to 0700 as `cacheDir` is. */
  cacheRoot?: string;
  /** Called when the first engine starts (seconds, cold): not for pictures the cache holds or that do not decode. */
  onEngineStart?: () => void;
}
