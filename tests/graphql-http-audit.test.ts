import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/test-app.js';

// GraphQL-over-HTTP conformance: the graphql-http package's server audit against the running server.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('graphql-http server audit', () => {
  it('passes with no errors', async () => {
    const results = await auditServer({ url: app.graphqlUrl });
    const failures = results.filter((r) => r.status === 'error');
    const details = await Promise.all(
      failures.map(async (r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''} ${'response' in r ? await r.response.text().catch(() => '') : ''}`),
    );
    const warnings = results.filter((r) => r.status === "warn" || r.status === "notice").map((r) => `${r.status} ${r.name}`);
    if (process.env.AUDIT_VERBOSE) console.log(warnings.join("\n"));
    expect(details).toEqual([]);
    expect(results.length).toBeGreaterThan(50);
  });
});
