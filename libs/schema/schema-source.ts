import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { HttpTimeoutError, outboundFetch } from '../http-client/index.js';

/** Kratos reads at most 1 MiB of a schema. */
export const MAX_SCHEMA_BYTES = 1024 * 1024;
export const SCHEMA_FETCH_TIMEOUT_MS = 10_000;

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Why a schema source could not be read; the registry wraps it into a SchemaLoadError. */
export class SchemaSourceError extends Error {
  override readonly name = 'SchemaSourceError';
}

/** Reads the bytes behind a schema URL: `file://`, `base64://`, `http://` or `https://`. */
export async function readSchemaSource(url: string, baseDir: string): Promise<Buffer> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'file':
      return readSchemaFile(schemaFilePath(url, baseDir));
    case 'base64':
      return decodeBase64(url.slice('base64://'.length));
    case 'http':
    case 'https':
      return fetchSchema(url);
    default:
      throw new SchemaSourceError('the URL must start with file://, base64://, http:// or https://');
  }
}

/**
 * Kratos reads a file URL as host + path, so `file:///etc/x.json` is absolute and
 * `file://config/x.json` (or `file://./config/x.json`) is relative — here to `baseDir`.
 */
export function schemaFilePath(url: string, baseDir: string): string {
  const rest = url.slice('file://'.length).replace(/[?#].*$/, '');
  let path: string;
  try {
    path = decodeURIComponent(rest);
  } catch {
    path = rest;
  }
  if (path === '') throw new SchemaSourceError('the file URL has no path');
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

/**
 * Synchronous on purpose: a local file of at most 1 MiB reads in tens of microseconds, while the
 * promise API's five thread-pool round trips cost ten times that in CPU, on every web hook call.
 */
function readSchemaFile(path: string): Buffer {
  try {
    const info = statSync(path);
    if (!info.isFile()) throw new SchemaSourceError(`${path} is not a file`);
    if (info.size > MAX_SCHEMA_BYTES) throw tooLarge();
    return readFileSync(path);
  } catch (error) {
    if (error instanceof SchemaSourceError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new SchemaSourceError(
      code === 'ENOENT' ? `file ${path} does not exist` : `cannot read ${path}: ${String(error)}`,
    );
  }
}

function decodeBase64(payload: string): Buffer {
  const compact = payload.replace(/\s+/g, '');
  // Node's decoder skips characters it does not know; reject them instead of decoding garbage.
  if (!BASE64.test(compact)) throw new SchemaSourceError('the base64:// payload is not valid base64');
  const bytes = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length > MAX_SCHEMA_BYTES) throw tooLarge();
  return bytes;
}

async function fetchSchema(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await outboundFetch(url, { timeoutMs: SCHEMA_FETCH_TIMEOUT_MS, redirect: 'follow' });
  } catch (error) {
    const timedOut = error instanceof HttpTimeoutError;
    throw new SchemaSourceError(
      timedOut
        ? `no answer from ${url} within ${SCHEMA_FETCH_TIMEOUT_MS / 1000} s`
        : `cannot fetch ${url}: ${causeOf(error)}`,
    );
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new SchemaSourceError(`${url} answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > MAX_SCHEMA_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  return readLimited(response);
}

async function readLimited(response: Response): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_SCHEMA_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof SchemaSourceError) throw error;
    throw new SchemaSourceError(`reading ${response.url} failed: ${causeOf(error)}`);
  }
  return Buffer.concat(chunks);
}

function tooLarge(): SchemaSourceError {
  return new SchemaSourceError(`the schema is larger than ${MAX_SCHEMA_BYTES} bytes (1 MiB)`);
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return String(cause instanceof Error ? cause.message : (error as Error).message);
}
