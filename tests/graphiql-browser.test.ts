import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium, launchChromium } from './helpers/browser.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

// GraphiQL as a person uses it, offline: the page loads everything from this server (no CDN),
// and a query typed with a token in the headers runs against the API.

const chromium = findChromium();
if (!chromium) console.warn('graphiql-browser.test.ts: SKIPPED: Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)');

describe.skipIf(!chromium)('GraphiQL in headless Chromium', () => {
  let app: TestApp;
  let browser: BrowserContext;
  let close: () => Promise<void>;

  beforeAll(async () => {
    app = await startTestApp();
    ({ browser, close } = await launchChromium(chromium!));
  });
  afterAll(async () => {
    await close?.();
    await app?.close();
  });

  it('loads with nothing from outside this server and runs a query with the pasted token', async () => {
    const page = await browser.newPage();
    const origin = new URL(app.url).origin;
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    await page.goto(`${app.url}/graphql`);
    await page.waitForSelector('.graphiql-container', { timeout: 30_000 });

    // Paste the token into the headers, a query into the editor, and run it.
    await page.evaluate((token) => {
      localStorage.setItem('graphiql:headers', JSON.stringify({ Authorization: `Bearer ${token}` }));
      localStorage.setItem('graphiql:query', '{ viewer { name role } }');
      localStorage.removeItem('graphiql:tabState');
    }, app.admin.token);
    await page.reload();
    await page.waitForSelector('.graphiql-container');
    await page.locator('.graphiql-execute-button').click();
    // (the response panel renders spaces as non-breaking spaces)
    const response = async () => (await page.locator('.graphiql-response').innerText()).replace(/\s+/g, ' ');
    await expect.poll(response, { timeout: 20_000 }).toContain('"name": "Test Admin"');
    expect(await response()).toContain('"role": "ADMIN"');
    expect(outside).toEqual([]);
  });
});
