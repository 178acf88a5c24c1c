import { AsyncLocalStorage } from 'node:async_hooks';
import { type IdentityEntity } from './identity.entity.js';

/**
 * Work that must see an identity as it is about to be written, and may change it or refuse the
 * write by throwing: the registration and settings pre-persist hooks (Kratos' `web_hook` with
 * `response.parse`). The identity service calls it once per scope, before its first write.
 */
export type BeforeIdentityWrite = (identity: IdentityEntity) => Promise<void>;

interface GateScope {
  callback: BeforeIdentityWrite;
  used: boolean;
}

const gate = new AsyncLocalStorage<GateScope>();

/** Runs `work` with `callback` called before the first identity write `work` makes. */
export function beforeIdentityWrite<T>(callback: BeforeIdentityWrite, work: () => Promise<T>): Promise<T> {
  return gate.run({ callback, used: false }, work);
}

/** The pending callback of the current scope, taken (so it runs once), or undefined. */
export function takeBeforeIdentityWrite(): BeforeIdentityWrite | undefined {
  const scope = gate.getStore();
  if (!scope || scope.used) return undefined;
  scope.used = true;
  return scope.callback;
}
