import { Identities1763769600000 } from './1763769600000-identities.js';

/** Every migration, oldest first. A new one is appended here and never edited after it lands. */
export const MIGRATIONS = [Identities1763769600000];
