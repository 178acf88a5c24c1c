import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's `chromium` package; playwright-core never downloads a browser of its own here. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Without the background-networking flags Chromium keeps dialling Google's hosts, which the
 * closed CI network refuses; `--no-sandbox` because CI runs as root.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Debian Chromium driven by playwright-core, with a fresh profile per launch. */
export async function launchChromium(executablePath = CHROMIUM_PATH): Promise<Browser> {
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `Browser tests need Chromium at ${executablePath}, which is missing or not executable. ` +
        "Install Debian's package: `apt-get update && apt-get install -y chromium`. " +
        '(`npx playwright install` does not work here: it downloads a browser of its own.)',
    );
  }
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 15_000 });
}
