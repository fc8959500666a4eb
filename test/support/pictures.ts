// Pictures built at test time: PNG text chunks written by hand (with their CRCs),
// and a HEIC that is only its `ftyp` box, as no HEVC encoder is at hand.
import { deflateSync } from 'node:zlib';
import { crc32 } from '../../src/detect/checksum.js';

export type TextChunkType = 'tEXt' | 'zTXt' | 'iTXt' | 'iTXt-deflated';

/** One PNG chunk: length, type, body, CRC over type and body. */
export function pngChunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body]).toString('latin1')), 0);
  return Buffer.concat([head, body, crc]);
}

/** A text chunk of `type` holding `text` under `keyword`, laid out as the PNG specification says. */
export function pngTextChunk(type: TextChunkType, keyword: string, text: string): Buffer {
  const k = Buffer.from(`${keyword}\0`, 'latin1');
  switch (type) {
    case 'tEXt':
      return pngChunk('tEXt', Buffer.concat([k, Buffer.from(text, 'latin1')]));
    case 'zTXt':
      return pngChunk('zTXt', Buffer.concat([k, Buffer.from([0]), deflateSync(text)]));
    case 'iTXt':
      return pngChunk('iTXt', Buffer.concat([k, Buffer.from([0, 0]), Buffer.from('en\0\0', 'latin1'), Buffer.from(text, 'utf8')]));
    case 'iTXt-deflated':
      return pngChunk('iTXt', Buffer.concat([k, Buffer.from([1, 0]), Buffer.from('en\0\0', 'latin1'), deflateSync(Buffer.from(text, 'utf8'))]));
  }
}

/** `png` with `chunks` put right after its header chunk (IHDR ends at byte 33). */
export function withPngChunks(png: Buffer, ...chunks: Buffer[]): Buffer {
  return Buffer.concat([png.subarray(0, 33), ...chunks, png.subarray(33)]);
}

/** An ISO-BMFF `ftyp` box: major brand, minor version 0, compatible brands. */
export function ftypBox(major: string, compatible: string[]): Buffer {
  const box = Buffer.alloc(16 + 4 * compatible.length);
  box.writeUInt32BE(box.length, 0);
  box.write(`ftyp${major}`, 4, 'latin1');
  compatible.forEach((b, i) => box.write(b, 16 + 4 * i, 'latin1'));
  return box;
}
