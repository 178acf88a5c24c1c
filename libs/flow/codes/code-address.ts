import { type OneTimeCodeEntity } from './one-time-code.entity.js';

/** An address row of an identity: a verifiable or recovery address, or a code identifier. */
export interface HeldAddress {
  via?: string | null;
  value: string;
  createdAt: Date;
}

/**
 * Whether the identity still holds the address `code` was sent to, as it held it then: a row
 * for it created no later than the code. A code outlives neither the removal of its address nor
 * a removal and re-adding (Kratos deletes an address's codes with the address): whoever kept the
 * old mailbox cannot recover, sign in or verify with what was sent there. A code sent to no
 * address (an admin's recovery code) is bound to its identity alone.
 */
export function stillHeld(code: OneTimeCodeEntity, rows: readonly HeldAddress[]): boolean {
  if (code.address === null) return true;
  return rows.some(
    (row) =>
      row.value === code.address &&
      (!row.via || !code.via || row.via === code.via) &&
      row.createdAt.getTime() <= code.createdAt.getTime(),
  );
}
