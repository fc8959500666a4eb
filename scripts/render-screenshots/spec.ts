// What a generated screenshot shows: its UI kind, style and the strings drawn
// in it (keys and negatives). Shared by render.ts and wild.ts.
import { type Rng, pick, int, v1Key, v2Key, v2WrongChecksum, maskedKey, hexNoise } from './keys.js';
import { type Kind, KINDS, MONO_FONTS, PROP_FONTS } from './templates.js';

export type SecretType = 'v2' | 'v1' | 'masked' | 'wrong-checksum' | 'hex';

export interface Spec {
  kind: Kind;
  theme: 'light' | 'dark';
  keyFont: string;
  uiFont: string;
  size: number;
  dsf: 1 | 2;
  format: 'png' | 'jpeg';
  quality?: number;
  secrets: SecretType[];
}

const MONO_ONLY: readonly Kind[] = ['editor', 'terminal', 'docs'];

export function randomSpec(rng: Rng): Spec {
  const kind = pick(rng, KINDS);
  const monoKey = MONO_ONLY.includes(kind) || rng() < 0.5;
  const r = rng();
  const secrets: SecretType[] =
    r < 0.42 ? ['v2']
    : r < 0.57 ? ['v2', 'v1']
    : r < 0.72 ? ['v1']
    : r < 0.79 ? []
    : r < 0.86 ? ['masked']
    : r < 0.93 ? ['wrong-checksum']
    : ['hex'];
  const format = rng() < 0.5 ? 'png' : 'jpeg';
  return {
    kind,
    theme: rng() < 0.5 ? 'light' : 'dark',
    keyFont: monoKey ? pick(rng, MONO_FONTS) : pick(rng, PROP_FONTS),
    uiFont: pick(rng, PROP_FONTS),
    size: int(rng, 11, 18),
    dsf: rng() < 0.6 ? 1 : 2,
    format,
    ...(format === 'jpeg' ? { quality: int(rng, 70, 92) } : {}),
    secrets,
  };
}

export function secretText(rng: Rng, t: SecretType): string {
  switch (t) {
    case 'v2': return v2Key(rng);
    case 'v1': return v1Key(rng);
    case 'masked': return maskedKey(rng);
    case 'wrong-checksum': return v2WrongChecksum(rng);
    case 'hex': return `${hexNoise(rng, 32)}-${hexNoise(rng, 4)}`;
  }
}

