// What each verification status means to the person reading a report.
import type { VerificationStatus } from '../model.js';

const DESCRIPTIONS: Record<VerificationStatus, string> = {
  unchecked: 'not checked (add --verify to ask Spreeflo whether it is live)',
  live: 'LIVE: anyone holding it can use the account',
  plan_restricted: 'active, account not on the Professional plan: works again the day it upgrades',
  revoked: 'revoked: nothing to revoke',
  invalid: 'not a key Spreeflo knows (never issued, or a typo)',
  unknown: 'unknown: Spreeflo could not be asked (check again)',
};

export function describeStatus(status: VerificationStatus): string {
  return DESCRIPTIONS[status];
}
