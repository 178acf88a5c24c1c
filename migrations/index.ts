import { Identities1763769600000 } from './1763769600000-identities.js';
import { Sessions1763769650000 } from './1763769650000-sessions.js';
import { SelfServiceFlows1763769680000 } from './1763769680000-selfservice-flows.js';
import { RateLimits1763769700000 } from './1763769700000-rate-limits.js';
import { SettingsRecoveryVerificationFlows1763769800000 } from './1763769800000-settings-recovery-verification-flows.js';
import { CourierMessages1763769900000 } from './1763769900000-courier-messages.js';
import { OneTimeCodes1763770000000 } from './1763770000000-one-time-codes.js';
import { SessionTokenExchanges1763770100000 } from './1763770100000-session-token-exchanges.js';
import { WebHookDeliveries1763770200000 } from './1763770200000-web-hook-deliveries.js';

/** Every migration, oldest first. A new one is appended here and never edited after it lands. */
export const MIGRATIONS = [
  Identities1763769600000,
  Sessions1763769650000,
  SelfServiceFlows1763769680000,
  RateLimits1763769700000,
  SettingsRecoveryVerificationFlows1763769800000,
  CourierMessages1763769900000,
  OneTimeCodes1763770000000,
  SessionTokenExchanges1763770100000,
  WebHookDeliveries1763770200000,
];
