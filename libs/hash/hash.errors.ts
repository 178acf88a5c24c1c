/** The stored or imported value is not a hash Tessera can verify. Never carries the value itself. */
export class UnknownHashFormatError extends Error {
  override readonly name = 'UnknownHashFormatError';

  constructor() {
    super('The password hash does not match any known hash format.');
  }
}

/** bcrypt only reads 72 bytes; hashing a longer password would silently ignore the rest. */
export class PasswordTooLongError extends Error {
  override readonly name = 'PasswordTooLongError';

  constructor(
    readonly actualBytes: number,
    readonly maxBytes: number,
  ) {
    super(`The password is ${actualBytes} bytes long; bcrypt accepts at most ${maxBytes}.`);
  }
}
