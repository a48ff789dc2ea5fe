import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import type { DocumentAccessFieldsFragment, PrintLinkCreateInput } from '../../sdk/index.js';
import type { TestApp, TestUser } from './test-app.js';

// The print and export routes as a browser or a partner app calls them.

export interface Doc {
  status: number;
  headers: Headers;
  text: string;
  bytes: Uint8Array;
}

/** GET a print or export path (absolute on the app), with a bearer token when given. */
export async function getDoc(app: TestApp, path: string, token?: string, headers: Record<string, string> = {}): Promise<Doc> {
  const res = await fetch(`${app.url}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, text: Buffer.from(bytes).toString('utf8'), bytes };
}

/** The JSON error of a refused request. */
export function errorOf(doc: Doc): { code: string; message: string } {
  expect(doc.headers.get('content-type')).toMatch(/^application\/json/);
  return (JSON.parse(doc.text) as { error: { code: string; message: string } }).error;
}

/** `?view=...&filter=...` for a list route. */
export function listQuery(params: { view: string; filter?: unknown; search?: string; orderBy?: unknown }): string {
  const query = new URLSearchParams({ view: params.view });
  if (params.filter !== undefined) query.set('filter', JSON.stringify(params.filter));
  if (params.search !== undefined) query.set('search', params.search);
  if (params.orderBy !== undefined) query.set('orderBy', JSON.stringify(params.orderBy));
  return `?${query}`;
}

/** A signed link from printLinkCreate, expected to succeed. */
export async function linkFor(user: TestUser, input: PrintLinkCreateInput): Promise<string> {
  const { printLinkCreate } = await user.client.PrintLinkCreate({ input });
  expect(printLinkCreate.userErrors).toEqual([]);
  return printLinkCreate.url!;
}

/** The link token of a link URL. */
export function linkToken(url: string): string {
  return new URL(url, 'http://x').searchParams.get('link')!;
}

/** The newest access log rows (admin's view). */
export async function accessLog(app: TestApp, first = 20): Promise<DocumentAccessFieldsFragment[]> {
  const { documentAccessLog } = await app.admin.client.DocumentAccessLog({ first });
  return documentAccessLog.nodes;
}

export async function accessLogCount(app: TestApp): Promise<number> {
  const { documentAccessLog } = await app.admin.client.DocumentAccessLog({ first: 1 });
  return documentAccessLog.totalCount;
}

/** Debian's Chromium, when installed (CHROMIUM_PATH overrides). */
export function findChromium(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const path of candidates) if (path && existsSync(path)) return path;
  try {
    const found = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
    return found || undefined;
  } catch {
    return undefined;
  }
}
