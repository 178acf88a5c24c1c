import { RecoveryAddressEntity, VerifiableAddressEntity } from './address.entity.js';
import { CredentialEntity, CredentialIdentifierEntity } from './credential.entity.js';
import { IdentityEntity } from './identity.entity.js';

export { RecoveryAddressEntity, VerifiableAddressEntity, type AddressVia } from './address.entity.js';
export { CredentialEntity, CredentialIdentifierEntity, CredentialsType } from './credential.entity.js';
export { IdentityEntity, IdentityState } from './identity.entity.js';
export { IdentityConflictError, IdentityNotFoundError, InvalidIdentityError } from './identity.errors.js';
export { type BuiltCredential, type IdentityInput } from './identity.input.js';
export { IdentityModule } from './identity.module.js';
export { IdentityPatch, JsonPatch, PatchIdentitiesBody } from './identity-patch.dto.js';
export { ANY_JSON, IDENTITY_OPENAPI_SCHEMAS } from './identity.openapi.js';
export { IdentityPresenter } from './identity.presenter.js';
export { IdentityRepository } from './identity.repository.js';
export { type LoginHints, LoginHintsFinder } from './login-hints.js';
export {
  BatchPatchIdentitiesResponse,
  Identity,
  IdentityCredentials,
  IdentityPatchResponse,
} from './identity.response.dto.js';
export { IdentityService } from './identity.service.js';
export { beforeIdentityWrite, type BeforeIdentityWrite } from './identity-write-gate.js';
export { type IdentityJson } from './identity.wire.js';

export const IDENTITY_ENTITIES = [
  IdentityEntity,
  CredentialEntity,
  CredentialIdentifierEntity,
  VerifiableAddressEntity,
  RecoveryAddressEntity,
];
export { availableAal, isSecondFactor } from './identity-aal.js';
