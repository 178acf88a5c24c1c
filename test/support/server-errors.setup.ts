import { beforeEach } from 'vitest';
import { serverErrorsFrom } from './tessera-process.js';

const MAX_LINES = 20;
const MAX_LINE_LENGTH = 2_000;

// A failed test prints the errors its servers logged meanwhile: a 500 in CI comes with its cause.
beforeEach(({ onTestFailed, task }) => {
  const errorsSince = serverErrorsFrom();
  onTestFailed(() => {
    const lines = errorsSince();
    if (lines.length === 0) return;
    const shown = lines.slice(-MAX_LINES).map((line) => line.slice(0, MAX_LINE_LENGTH));
    const skipped = lines.length - shown.length;
    process.stderr.write(
      `server errors during "${task.name}"${skipped > 0 ? ` (the last ${shown.length} of ${lines.length})` : ''}:\n` +
        `${shown.join('\n')}\n`,
    );
  });
});
