/** A program that cannot be parsed (or uses a refused feature such as `import`). */
export class JsonnetSyntaxError extends Error {
  override readonly name = 'JsonnetSyntaxError';
  constructor(
    readonly location: string,
    detail: string,
  ) {
    super(`${location}: ${detail}`);
  }
}
