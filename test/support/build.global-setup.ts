import { execFileSync } from 'node:child_process';

/** e2e tests run the real `tessera` binary, so they need a fresh build of the sources. */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}
