import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/db/seed/demo-data.js';
import { findChromium, launchChromium } from './helpers/browser.js';
import { makeCustomer } from './helpers/factories.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

// GraphiQL as a newcomer uses it, offline: the page loads everything from this server (no CDN)
// and opens with a Login tab and the headline query; run the first, paste its token into the
// second's headers, run it, and real customers show.

const chromium = findChromium();
if (!chromium) console.warn('graphiql-browser.test.ts: SKIPPED: Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)');

const ADMIN_EMAIL = 'graphiql-admin@test.local';

describe.skipIf(!chromium)('GraphiQL in headless Chromium', () => {
  let app: TestApp;
  let browser: BrowserContext;
  let close: () => Promise<void>;
  const customers: string[] = [];

  beforeAll(async () => {
    // The first admin of a demo start, as the page's Login tab names them.
    app = await startTestApp({ env: { ADMIN_EMAIL, DEMO_DATA: 'true' } });
    const { userCreate } = await app.admin.client.UserCreate({
      input: { name: 'Demo Admin', email: ADMIN_EMAIL, password: DEMO_PASSWORD, role: 'ADMIN' },
    });
    expect(userCreate.userErrors).toEqual([]);
    for (const name of ['GraphiQL 客户甲', 'GraphiQL 客户乙']) customers.push((await makeCustomer(app, { name })).name);
    ({ browser, close } = await launchChromium(chromium!));
  });
  afterAll(async () => {
    await close?.();
    await app?.close();
  });

  // (the response panel renders spaces as non-breaking spaces)
  const response = async (page: Page) => (await page.locator('.graphiql-response').innerText()).replace(/\s+/g, ' ');
  const tab = (page: Page, name: string) => page.locator('.graphiql-tab', { hasText: name });

  it('opens with a Login tab and the headline query; after signing in the headline tab shows customers, with nothing from outside', async () => {
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

    await expect.poll(async () => page.locator('.graphiql-tab').allInnerTexts(), { timeout: 20_000 }).toEqual([
      expect.stringContaining('Login'),
      expect.stringContaining('CustomersOverview'),
    ]);

    // Click 1: sign in on the first tab.
    await tab(page, 'Login').click();
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => response(page), { timeout: 20_000 }).toContain('"token": "');
    // (a long line wraps in the panel: the token has no spaces of its own)
    const token = /"token": "([^"]+)"/.exec(await response(page))![1]!.replace(/\s/g, '');
    expect(await response(page)).toContain('"role": "ADMIN"');

    // Paste the token into the headline tab's headers (as the comment there says), click 2: run.
    await tab(page, 'CustomersOverview').click();
    await expect.poll(async () => (await page.locator('.graphiql-editor').first().innerText()).includes('CustomersOverview')).toBe(true);
    await page.getByRole('button', { name: 'Headers' }).click();
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor:visible').first();
    await headers.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));
    const answered = page.waitForResponse((r) => r.url().startsWith(app.graphqlUrl) && r.request().postData()?.includes('CustomersOverview') === true);
    await page.locator('.graphiql-execute-button').click();
    await expect.poll(() => response(page), { timeout: 20_000 }).toContain(`"totalCount": ${customers.length}`);
    expect(await response(page)).not.toContain('"errors"');
    // The panel shows what fits; the whole answer GraphiQL received holds every customer.
    const answer = (await (await answered).json()) as { data: { customers: { nodes: { name: string }[] } }; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    expect(answer.data.customers.nodes.map((c) => c.name).sort()).toEqual([...customers].sort());
    expect(outside).toEqual([]);
  });
});
