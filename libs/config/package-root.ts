import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

function isTesseraPackage(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'tessera';
}

/** The installed package's folder (holds `identity-schemas/`), from source or from `dist/`. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!isTesseraPackage(dir)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the tessera package root');
    dir = parent;
  }
  cached = dir;
  return dir;
}

/** Tessera's own version, as published in package.json. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
