import { selfServiceFlowJson } from '../core/index.js';
import { type CodeFlowEntity } from './code-flow.service.js';

/**
 * The contract's `recoveryFlow` and `verificationFlow`: the common flow fields and its own. Only a recovery
 * that signed a native app in has a `continueWith`.
 */
export function codeFlowJson(flow: CodeFlowEntity, continueWith?: unknown[]) {
  return {
    ...selfServiceFlowJson(flow),
    state: flow.state,
    ...(continueWith ? { continue_with: continueWith } : {}),
  };
}
