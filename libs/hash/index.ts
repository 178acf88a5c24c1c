export { HashModule } from './hash.module.js';
export { PasswordHasher } from './password-hasher.service.js';
export { DEFAULT_HASHER_OPTIONS, HASHER_OPTIONS, type HasherOptions } from './hasher.options.js';
export { detectHashFormat, HashFormat, isKnownHashFormat } from './hash-format.js';
export { checkImportedHash, IMPORTED_HASH_LIMITS, type ImportedHashCheck } from './hash-limits.js';
export { PasswordTooLongError, UnknownHashFormatError } from './hash.errors.js';
export { BCRYPT_MAX_PASSWORD_BYTES } from './formats/bcrypt.format.js';
export { Cipher, CipherError, SecretCipher } from './cipher.js';
