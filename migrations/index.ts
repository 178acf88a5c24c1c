import { Identities1763769600000 } from './1763769600000-identities.js';
import { Sessions1763769650000 } from './1763769650000-sessions.js';
import { SelfServiceFlows1763769680000 } from './1763769680000-selfservice-flows.js';
import { RateLimits1763769700000 } from './1763769700000-rate-limits.js';

/** Every migration, oldest first. A new one is appended here and never edited after it lands. */
export const MIGRATIONS = [
  Identities1763769600000,
  Sessions1763769650000,
  SelfServiceFlows1763769680000,
  RateLimits1763769700000,
];
