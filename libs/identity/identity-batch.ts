import { ApiError, parseBody, toApiError } from '../errors/index.js';
import { isUuid } from '../persistence/index.js';
import { CreateIdentityBody } from './identity.dto.js';
import { createInput } from './identity-input.mapper.js';
import { type IdentityService } from './identity.service.js';

const MAX_PATCHES = 1000;
const MAX_PLAINTEXT_PASSWORDS = 200;

interface PatchResult {
  action: 'create' | 'error';
  identity?: string;
  patch_id?: string;
  error?: ReturnType<ApiError['envelope']>['error'];
}

function patchesOf(body: unknown): { patch_id?: unknown; create?: unknown }[] {
  const patches = (body as { identities?: unknown } | null)?.identities;
  if (!Array.isArray(patches)) throw new ApiError(400, { reason: 'The body must be {"identities": [...]}.' });
  if (patches.length > MAX_PATCHES) {
    throw new ApiError(400, { reason: `A batch holds at most ${MAX_PATCHES} identities.` });
  }
  const plaintext = patches.filter(
    (p) => p?.create?.credentials?.password?.config?.password !== undefined,
  ).length;
  if (plaintext > MAX_PLAINTEXT_PASSWORDS) {
    throw new ApiError(400, {
      reason: `A batch may hash at most ${MAX_PLAINTEXT_PASSWORDS} plaintext passwords; import hashes instead.`,
    });
  }
  return patches;
}

/**
 * batchPatchIdentities: each identity is created in its own transaction, so one invalid entry
 * is reported as `action: error` while the others land.
 */
export async function batchCreate(
  identities: IdentityService,
  body: unknown,
): Promise<{ identities: PatchResult[] }> {
  const results: PatchResult[] = [];
  for (const patch of patchesOf(body)) {
    const patchId = isUuid(patch?.patch_id) ? { patch_id: patch.patch_id } : {};
    try {
      if (!patch?.create) throw new ApiError(400, { reason: 'The patch has nothing to create.' });
      const identity = await identities.create(createInput(parseBody(CreateIdentityBody, patch.create)));
      results.push({ action: 'create', identity: identity.id, ...patchId });
    } catch (error) {
      const apiError = toApiError(error);
      if (!apiError) throw error;
      results.push({ action: 'error', ...patchId, error: apiError.envelope().error });
    }
  }
  return { identities: results };
}
