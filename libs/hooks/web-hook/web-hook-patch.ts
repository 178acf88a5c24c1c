import { FlowRejectedError, traitMessage } from '../../flow/index.js';
import { type IdentityEntity } from '../../identity/index.js';
import { type IdentitySchemaRegistry } from '../../schema/index.js';

/**
 * The identity a parsing hook changed before it is stored must still match its schema; the
 * failures land on the trait nodes as for a submission (Kratos validates after the hooks).
 */
export function patchRejection(
  schemas: IdentitySchemaRegistry,
  identity: IdentityEntity,
): FlowRejectedError | undefined {
  if (!schemas.find(identity.schemaId)) {
    return new FlowRejectedError([
      {
        name: '',
        messages: [
          { id: 4000001, text: `The identity schema "${identity.schemaId}" does not exist.`, type: 'error' },
        ],
      },
    ]);
  }
  const result = schemas.validateTraits(identity.schemaId, identity.traits);
  if (result.ok) return undefined;
  return new FlowRejectedError(
    result.errors.map((failure) => ({ name: failure.path, messages: [traitMessage(failure)] })),
  );
}
