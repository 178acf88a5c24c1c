import { execFileSync } from 'node:child_process';

/** Set once this vitest process has built: the e2e projects share one build. */
const BUILT = 'TESSERA_TEST_BUILT_BY';

/** e2e tests run the real `tessera` binary, so they need a fresh build of the sources. */
export default function setup(): void {
  if (process.env[BUILT] === String(process.pid)) return;
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  process.env[BUILT] = String(process.pid);
}
