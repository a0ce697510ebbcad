import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';
import { servedApp, type ServedApp } from './app.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const required = process.env.REQUIRE_E2E === '1';

if (!available && !required) console.warn(`[e2e] skipped: no Chromium at ${CHROMIUM} (install Debian's chromium, or set REQUIRE_E2E=1 to fail instead)`);

/** Browser suites run when Chromium is installed, and must run (and fail without it) under REQUIRE_E2E=1. */
export const describeBrowser = available || required ? describe : describe.skip;

export interface BrowserSuite extends ServedApp {
  browser: Browser;
}

/** For a browser suite: the app served on a real port over a fresh database, and Chromium; closed after the suite. */
export function servedAppAndBrowser(env: Record<string, string> = {}): BrowserSuite {
  const suite = servedApp(env) as BrowserSuite;
  beforeAll(async () => {
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
  });
  return suite;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Signs in through the real login form. */
export async function signInPage(page: Page, origin: string, email: string, password: string) {
  await page.goto(`${origin}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.getByRole('button', { name: 'Sign in' }).click()]);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (a script tag would be blocked).
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document);
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}
