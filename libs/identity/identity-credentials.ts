import { checkImportedHash } from '../hash/index.js';
import { newId } from '../persistence/index.js';
import { codeAddresses, credentialIdentifiers, type LoadedIdentitySchema } from '../schema/index.js';
import { type PasswordHashing } from './admin-password-hasher.js';
import { CredentialEntity, CredentialIdentifierEntity, type CredentialsType } from './credential.entity.js';
import { type IdentityEntity } from './identity.entity.js';
import { InvalidIdentityError } from './identity.errors.js';
import { type BuiltCredential, type CredentialsImport, type ProviderImport } from './identity.input.js';

function credentialOf(identity: IdentityEntity, type: CredentialsType, now: Date): CredentialEntity {
  identity.credentials ??= [];
  let credential = identity.credentials.find((c) => c.type === type);
  if (!credential) {
    credential = Object.assign(new CredentialEntity(), {
      id: newId(),
      identityId: identity.id,
      type,
      config: {},
      version: 0,
      createdAt: now,
      updatedAt: now,
      identifiers: [],
    });
    identity.credentials.push(credential);
  }
  return credential;
}

/** Stores a new password hash, creating the password credential when the identity had none. */
export function setPasswordCredential(identity: IdentityEntity, hashed: string, now: Date): void {
  const credential = credentialOf(identity, 'password', now);
  credential.config = { hashed_password: hashed };
  credential.updatedAt = now;
}

/** Imports admin-supplied credentials: plaintext passwords are hashed, hashes must be known formats. */
export async function importCredentials(
  identity: IdentityEntity,
  imports: CredentialsImport,
  hasher: PasswordHashing,
  now: Date,
): Promise<void> {
  const password = imports.password?.config;
  if (
    password &&
    (password.password !== undefined ||
      password.hashed_password !== undefined ||
      password.use_password_migration_hook)
  ) {
    let hashed: string | undefined;
    if (password.hashed_password !== undefined) {
      const check = checkImportedHash(password.hashed_password);
      if (!check.ok && check.reason === 'unknown_format') {
        throw new InvalidIdentityError('The imported password does not match any known hash format.');
      }
      if (!check.ok)
        throw new InvalidIdentityError(`The imported password hash is out of bounds: ${check.detail}`);
      hashed = password.hashed_password;
    } else if (password.password !== undefined) {
      hashed = await hasher.hash(password.password);
    }
    const credential = credentialOf(identity, 'password', now);
    credential.config = {
      ...(hashed ? { hashed_password: hashed } : {}),
      ...(password.use_password_migration_hook ? { use_password_migration_hook: true } : {}),
    };
    credential.updatedAt = now;
  }
  for (const type of ['oidc', 'saml'] as const) {
    const providers = (imports[type] as ProviderImport | undefined)?.config?.providers;
    if (!providers?.length) continue;
    const credential = credentialOf(identity, type, now);
    const existing =
      (credential.config['providers'] as { provider: string; subject: string }[] | undefined) ?? [];
    const merged = [
      ...existing.filter((e) => !providers.some((p) => p.provider === e.provider && p.subject === e.subject)),
      ...providers,
    ];
    credential.config = { ...credential.config, providers: merged };
    credential.updatedAt = now;
  }
}

/** Puts a strategy-built credential in place of the identity's credential of that type. */
export function putBuiltCredential(identity: IdentityEntity, built: BuiltCredential, now: Date): void {
  const credential = credentialOf(identity, built.type, now);
  credential.config = built.config;
  credential.updatedAt = now;
  setIdentifiers(credential, built.identifiers, now);
}

/** Login identifiers of each credential, recomputed from the traits (and providers) on every write. */
export function syncCredentialIdentifiers(
  identity: IdentityEntity,
  schema: LoadedIdentitySchema,
  now: Date,
): void {
  const fromTraits = credentialIdentifiers(schema, identity.traits);
  const addresses = codeAddresses(schema, identity.traits);
  if (addresses.length > 0) {
    credentialOf(identity, 'code', now).config = {
      addresses: addresses.map((a) => ({ channel: a.via, address: a.value })),
    };
  } else if (identity.credentials?.some((c) => c.type === 'code')) {
    identity.credentials = identity.credentials.filter((c) => c.type !== 'code');
  }
  for (const credential of identity.credentials ?? []) {
    let wanted: string[];
    switch (credential.type) {
      case 'password':
        wanted = fromTraits.password;
        if (wanted.length === 0) {
          throw new InvalidIdentityError(
            'The password credential needs an identifier: no trait is marked as one, or it is empty.',
          );
        }
        break;
      case 'webauthn':
        wanted = fromTraits.webauthn;
        break;
      case 'code':
        wanted = fromTraits.code;
        break;
      case 'oidc':
      case 'saml':
        wanted = (
          (credential.config['providers'] as { provider: string; subject: string }[] | undefined) ?? []
        ).map((p) => `${p.provider}:${p.subject}`);
        break;
      default:
        wanted = credential.identifiers.map((i) => i.identifier);
    }
    setIdentifiers(credential, wanted, now);
  }
}

function setIdentifiers(credential: CredentialEntity, wanted: string[], now: Date): void {
  const existing = new Map(credential.identifiers.map((i) => [i.identifier, i]));
  const next = [...new Set(wanted)].map(
    (identifier) =>
      existing.get(identifier) ??
      Object.assign(new CredentialIdentifierEntity(), {
        id: newId(),
        credentialId: credential.id,
        type: credential.type,
        identifier,
        createdAt: now,
        updatedAt: now,
      }),
  );
  if (next.length !== existing.size || next.some((i) => !existing.has(i.identifier)))
    credential.updatedAt = now;
  credential.identifiers = next;
}
