import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium package (playwright cannot download browsers here). */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Whether the browser tests run: always in CI (CI set; .ci/run installs chromium, and a missing
 * browser there is an error, not a skip); elsewhere only when chromium is installed, with a
 * visible message when it is not.
 */
export function browserTestsRun(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`CI: ${CHROMIUM} is missing (.ci/run installs it with apt-get); browser tests must not be skipped in CI`);
  console.warn(`browser tests skipped: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`);
  return false;
}

/** Headless chromium; playwright gives it a fresh temporary profile and removes it on close. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
