// The pipeline's verifier step: names from the user's inventory (offline), and,
// only with --verify, one Ping API call per unique key.
import type { Config } from '../config.js';
import type { Finding } from '../finding.js';
import type { Verifier } from '../scan/pipeline.js';
import { UsageError } from '../errors.js';
import { checkBaseUrl, BASE_URL_ENV } from './url.js';
import { verifyKeys, type KeyToVerify, type VerifyOptions } from './ping.js';

const PINGABLE_RULES = new Set(['spreeflo-api-key-v2', 'spreeflo-api-key-v1']);

/**
 * Which findings may be sent to Spreeflo: high-confidence keys of its two formats,
 * and low-confidence v1 readings (v1 has no checksum, so the API is the only way
 * to confirm them). A low v2 reading failed its checksum: it is never sent.
 */
function pingable(f: Finding): boolean {
  if (!PINGABLE_RULES.has(f.rule)) return false;
  return f.confidence === 'high' || f.rule === 'spreeflo-api-key-v1';
}

/** Fails fast on a base URL the verifier would refuse (plain http off loopback). */
export function checkVerifyTarget(baseUrl: string | undefined): void {
  const raw = baseUrl ?? process.env[BASE_URL_ENV];
  if (!raw?.trim()) return;
  try {
    checkBaseUrl(raw.trim());
  } catch (err) {
    throw new UsageError(`${BASE_URL_ENV}: ${(err as Error).message}`);
  }
}

export function nameFromInventory(config: Config): Verifier {
  const byLast4 = new Map<string, string[]>();
  for (const entry of config.inventory) byLast4.set(entry.last4, [...(byLast4.get(entry.last4) ?? []), entry.name]);
  return async (findings) => {
    for (const f of findings) {
      const names = byLast4.get(f.secret.last4);
      if (names && !f.verification.keyName) f.verification.probableName = names.join(' or ');
    }
  };
}

export function pingVerifier(opts: VerifyOptions): Verifier {
  return async (findings) => {
    const unique = new Map<string, KeyToVerify>();
    for (const f of findings) {
      if (!pingable(f) || unique.has(f.secret.sha256)) continue;
      unique.set(f.secret.sha256, { keySha256: f.secret.sha256, key: f.secret.reveal(), ruleId: f.rule as KeyToVerify['ruleId'] });
    }
    if (unique.size === 0) return;
    const answers = await verifyKeys([...unique.values()], opts);
    for (const f of findings) {
      const answer = answers.get(f.secret.sha256);
      if (!answer) continue;
      f.verification = { ...answer, ...(f.verification.probableName ? { probableName: f.verification.probableName } : {}) };
      // Spreeflo knowing the key confirms a reading that had no checksum to confirm it.
      if (f.confidence === 'low' && answer.status !== 'invalid' && answer.status !== 'unknown') f.confidence = 'high';
    }
  };
}

/** Runs the steps in order: naming first, so a ping answer can replace a guess. */
export function verifierChain(steps: Verifier[]): Verifier {
  return async (findings) => {
    for (const step of steps) await step(findings);
  };
}
