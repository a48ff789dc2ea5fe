import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiateLanguage } from '../src/common/language.js';
import type { NodeTypeName } from '../src/common/ids.js';
import { LANGUAGES, M, recordZh, type Entry, type Message } from '../src/common/messages.js';
import { createClient, type CrmClient } from '../sdk/index.js';
import { makeCustomer, makeUser } from './helpers/factories.js';
import { startTestApp, type TestApp, type TestUser } from './helpers/test-app.js';

// Error messages follow Accept-Language (English by default, Simplified Chinese on request); the
// codes, fields and extensions of the same refusal are identical in every language.

let app: TestApp;
let owner: TestUser;
let manager: TestUser;

const CJK = /[\u4e00-\u9fff]/;
/** Common English words (not field names such as `to`): prose a Chinese message should not hold. */
const ENGLISH_PROSE = /\b(?:the|must|not|and|or|be|is|are|by|at|of|you|with|can|cannot|may|found|than|characters|only|either|both|pass|give|send)\b/i;

beforeAll(async () => {
  app = await startTestApp();
  manager = await makeUser(app, { role: 'MANAGER' });
  owner = await makeUser(app, { role: 'SALES', manager });
});
afterAll(() => app?.close());

function clientIn(language: string | undefined, token: string | undefined): CrmClient {
  return createClient({ url: app.graphqlUrl, token, language });
}

/** The top-level error of a call expected to fail as a whole. */
async function topLevelError(call: Promise<unknown>) {
  try {
    await call;
  } catch (error) {
    const first = (error as { response?: { errors?: { message: string; extensions?: Record<string, unknown> }[] } }).response?.errors?.[0];
    if (first) return first;
  }
  throw new Error('expected a top-level error');
}

/** The first userError of claiming `customerId`. */
async function claimError(client: CrmClient, customerId: string) {
  const { customersClaim } = await client.CustomersClaim({ input: { customerIds: [customerId] } });
  return customersClaim.results[0]!.userErrors[0]!;
}

describe('the same refusal in English and in Chinese', () => {
  it('ALREADY_CLAIMED names the owner in both, with the same code and details', async () => {
    const customer = await makeCustomer(app, { owner });
    const en = await claimError(clientIn(undefined, manager.token), customer.id);
    const zh = await claimError(clientIn('zh-CN', manager.token), customer.id);
    expect(en.message).toBe(`Already claimed by ${owner.name} at ${en.claimedAt}`);
    expect(zh.message).toBe(`该客户已被${owner.name}于 ${String(zh.claimedAt).slice(0, 10)} ${String(zh.claimedAt).slice(11, 16)} UTC 领用`);
    expect({ ...zh, message: undefined }).toEqual({ ...en, message: undefined });
    expect(zh).toMatchObject({ code: 'ALREADY_CLAIMED', ownerName: owner.name });
    // The owner learns it is theirs.
    expect((await claimError(clientIn('zh', owner.token), customer.id)).message).toMatch(/^该客户已被您于 .* 领用$/);
  });

  it('STALE_VERSION says which version changed, in Chinese with the record named as the product does', async () => {
    const customer = await makeCustomer(app, { owner });
    await owner.client.CustomerUpdate({ input: { id: customer.id, notes: 'first' } });
    const update = (language?: string) =>
      clientIn(language, owner.token).CustomerUpdate({ input: { id: customer.id, expectedVersion: customer.version, notes: 'second' } });
    const en = (await update()).customerUpdate.userErrors;
    const zh = (await update('zh-CN')).customerUpdate.userErrors;
    expect(en).toHaveLength(1);
    expect(en[0]!.message).toBe(`The customer changed since version ${customer.version} (now ${customer.version + 1}); reload and try again`);
    expect(zh[0]!.message).toBe(`客户在版本 ${customer.version} 之后已被修改（当前版本 ${customer.version + 1}），请刷新后重试`);
    expect(zh.map((e) => ({ ...e, message: '' }))).toEqual(en.map((e) => ({ ...e, message: '' })));
  });

  it('a decorator’s finding carries its bound in both languages, and no English prose in Chinese', async () => {
    const create = (language?: string) =>
      clientIn(language, owner.token).CustomerCreate({ input: { name: 'x'.repeat(201), phone: '13800138000', notes: 'y'.repeat(5001) } });
    const byField = <T extends { field?: string[] | null }>(errors: T[]) => [...errors].sort((a, b) => String(a.field).localeCompare(String(b.field)));
    const en = byField((await create()).customerCreate.userErrors);
    const zh = byField((await create('zh-CN')).customerCreate.userErrors);
    expect(en.map((e) => e.field)).toEqual([
      ['input', 'name'],
      ['input', 'notes'],
    ]);
    expect(en.map((e) => e.message)).toEqual(['name must be shorter than or equal to 200 characters', 'notes must be shorter than or equal to 5000 characters']);
    expect(zh.map((e) => e.message)).toEqual(['name 最多 200 个字符', 'notes 最多 5000 个字符']);
    expect(zh.map((e) => ({ ...e, message: '' }))).toEqual(en.map((e) => ({ ...e, message: '' })));
    for (const e of zh) expect(e.message).not.toMatch(ENGLISH_PROSE);
  });

  it('text PostgreSQL cannot store is refused as a whole operation in the request’s language', async () => {
    const create = (language?: string) =>
      topLevelError(clientIn(language, owner.token).CustomerCreate({ input: { name: 'a\u0000b', phone: '13800138000' } }));
    const en = await create();
    const zh = await create('zh-CN');
    expect(en.message).toBe('input.name contains a NUL character (U+0000)');
    expect(zh.message).toBe('input.name 含有空字符（U+0000）');
    expect(zh.extensions).toEqual(en.extensions);
  });

  it('UNAUTHENTICATED and a role’s FORBIDDEN are top-level errors with the same extensions', async () => {
    const en = await topLevelError(clientIn('en', undefined).Customers({ view: 'MINE' }));
    const zh = await topLevelError(clientIn('zh-CN', undefined).Customers({ view: 'MINE' }));
    expect(en.message).toBe('Sign in first: send Authorization: Bearer <token>');
    expect(zh.message).toBe('请先登录：请求需带上 Authorization: Bearer <令牌>');
    expect(zh.extensions).toEqual(en.extensions);
    expect(zh.extensions?.code).toBe('UNAUTHENTICATED');

    const badToken = await topLevelError(clientIn('zh-CN', 'not-a-token').Customers({ view: 'MINE' }));
    expect(badToken.message).toBe('令牌或 API 密钥无效、已过期或已注销：请重新登录');

    const forbiddenEn = await topLevelError(clientIn(undefined, owner.token).Customers({ view: 'ALL' }));
    const forbiddenZh = await topLevelError(clientIn('zh-CN', owner.token).Customers({ view: 'ALL' }));
    expect(forbiddenEn.message).toBe('Only admins can list all customers');
    expect(forbiddenZh.message).toBe('只有管理员可以查看全部客户');
    expect(forbiddenZh.extensions).toEqual(forbiddenEn.extensions);
    expect(forbiddenZh.extensions?.code).toBe('FORBIDDEN');
  });

  it('a refusal of the query itself (QUERY_TOO_COMPLEX, VALIDATION_FAILED) speaks the language too', async () => {
    const tooBig = (language?: string) => topLevelError(clientIn(language, owner.token).Customers({ view: 'MINE', first: 500 }));
    const en = await tooBig();
    const zh = await tooBig('zh-CN');
    expect(en.message).toMatch(/^first must be between 1 and 100/);
    expect(zh.message).toMatch(/^first 必须在 1 到 100 之间/);
    expect(zh.extensions).toEqual(en.extensions);
  });

  it('plain routes answer their JSON errors in the request’s language, with the same code and status', async () => {
    const get = (language?: string) =>
      fetch(`${app.url}/print/customers/abc`, { headers: language ? { 'accept-language': language } : {} }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { error: { code: string; message: string } },
      }));
    const en = await get();
    const zh = await get('zh-CN,zh;q=0.9');
    expect(en).toEqual({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'Sign in first: send Authorization: Bearer <token>' } } });
    expect(zh).toEqual({ status: 401, body: { error: { code: 'UNAUTHENTICATED', message: '请先登录：请求需带上 Authorization: Bearer <令牌>' } } });
  });
});

describe('the logs', () => {
  it('say a refusal in English, whatever language the client was answered in', async () => {
    const logLines: string[] = [];
    const logged = await startTestApp({ logLines });
    try {
      const refused = await topLevelError(createClient({ url: logged.graphqlUrl, language: 'zh-CN' }).Customers({ view: 'MINE' }));
      expect(refused.message).toMatch(CJK);
      const line = logLines.map((l) => JSON.parse(l) as { msg?: string; firstError?: string }).find((l) => l.msg === 'request refused');
      expect(line?.firstError).toBe('Sign in first: send Authorization: Bearer <token>');
    } finally {
      await logged.close();
    }
  });
});

describe('choosing the language', () => {
  it('takes the supported language weighed highest; English when none is supported', async () => {
    const customer = await makeCustomer(app, { owner });
    const message = async (header: string) => (await claimError(clientIn(header, manager.token), customer.id)).message;
    expect(await message('en;q=0.5, zh-CN;q=0.9')).toMatch(CJK);
    expect(await message('zh-CN;q=0.4, en;q=0.8')).not.toMatch(CJK);
    expect(await message('fr')).toMatch(/^Already claimed by /);
    expect(await message('fr, zh-Hans;q=0.3')).toMatch(CJK);
  });

  it('parses Accept-Language headers', () => {
    expect(negotiateLanguage(undefined)).toBe('en');
    expect(negotiateLanguage('')).toBe('en');
    expect(negotiateLanguage('fr-FR, de;q=0.9')).toBe('en');
    expect(negotiateLanguage('*')).toBe('en');
    for (const tag of ['zh', 'zh-CN', 'zh-cn', 'zh-Hans', 'zh-Hans-CN', 'zh-SG']) expect(negotiateLanguage(tag)).toBe('zh-CN');
    expect(negotiateLanguage('zh-TW')).toBe('en');
    expect(negotiateLanguage('en-US,en;q=0.9,zh-CN;q=0.8')).toBe('en');
    expect(negotiateLanguage('zh-CN, en')).toBe('zh-CN');
    expect(negotiateLanguage('en, zh-CN')).toBe('en');
    expect(negotiateLanguage('zh-CN;q=0, en;q=0.1')).toBe('en');
    expect(negotiateLanguage('en;q=0.5, zh-CN;q=0.9')).toBe('zh-CN');
    expect(negotiateLanguage('en;q=0.5 , zh-CN ; q=0.9')).toBe('zh-CN');
    expect(negotiateLanguage('zh-CN;q=bogus, en;q=0.9')).toBe('zh-CN');
    expect(negotiateLanguage(['fr', 'zh;q=0.5'])).toBe('zh-CN');
  });
});

describe('the catalogue', () => {
  const entries = Object.entries(M) as [string, Entry<Record<string, unknown>>][];

  it('renders every entry in every language, without holes', () => {
    expect(entries.length).toBeGreaterThan(100);
    for (const [key, entry] of entries) {
      const message = (entry as unknown as (p: unknown) => Message)(entry.sample);
      expect(message.key).toBe(key);
      for (const language of LANGUAGES) {
        const text = message.text(language);
        expect(text, `${key} ${language}`).not.toMatch(/undefined|\$\{|\[object |NaN|null/);
        expect(text.trim(), `${key} ${language}`).not.toBe('');
      }
      expect(message.text('zh-CN'), key).toMatch(CJK);
      expect(message.text('en'), key).not.toMatch(CJK.test(JSON.stringify(entry.sample)) ? /$^/ : CJK);
    }
  });

  it('leaves no English prose in Chinese, only field names, codes and what other software says', () => {
    // Their `detail` is GraphQL's or Fastify's own English, quoted.
    const quoting = new Set(['paramInvalid', 'requestRefused', 'listParamsRefused']);
    for (const [key, entry] of entries) {
      if (quoting.has(key)) continue;
      const zh = (entry as unknown as (p: unknown) => Message)(entry.sample).text('zh-CN');
      expect(zh, key).not.toMatch(ENGLISH_PROSE);
    }
  });

  it('names every kind of record in Chinese', () => {
    const types: Record<NodeTypeName, true> = {
      User: true, Customer: true, OwnershipEvent: true, Contact: true, ContactRelation: true, Interaction: true, Quote: true,
      QuoteItem: true, Contract: true, Receivable: true, Receipt: true, Attachment: true, DocumentAccess: true, Notification: true, ApiKey: true,
    };
    // NodeTypeName, and the other names the code refuses with (notFound, assertVersion, editRecordsOf).
    for (const what of [...Object.keys(types), 'Record', 'API key', 'Related contact', 'Relation', 'settings', 'quote', 'contract', 'receipt']) {
      expect(recordZh(what), what).toMatch(CJK);
    }
    expect(M.notFound({ what: 'Quote' }).text('zh-CN')).toBe('报价单不存在');
  });

  it('uses the same parameters in both languages: changing one changes both texts', () => {
    const variants: Record<string, (v: unknown) => unknown[]> = {
      string: (v) => [`Q9${v as string}Q9`],
      number: (v) => [(v as number) + 7],
      boolean: (v) => [!v],
    };
    for (const [key, entry] of entries) {
      const make = (params: unknown) => (entry as unknown as (p: unknown) => Message)(params);
      // A text, or THROWS for an enumerated parameter given a value outside its choices.
      const render = (params: unknown) => ({
        text: (language: (typeof LANGUAGES)[number]) => {
          try {
            return make(params).text(language);
          } catch {
            return 'THROWS';
          }
        },
      });
      const base = render(entry.sample);
      for (const [param, value] of Object.entries(entry.sample)) {
        const others = Array.isArray(value)
          ? [[...(value as unknown[]), 'EXTRA']]
          : value === null
            ? ['X1']
            : typeof value === 'object'
              ? [] // a nested message: its own entry is checked
              : (variants[typeof value]?.(value) ?? []);
        for (const other of others) {
          const changed = render({ ...entry.sample, [param]: other });
          const moved = LANGUAGES.map((language) => changed.text(language) !== base.text(language));
          // An enumerated parameter (a choice of text) may pick the same words for its variant;
          // what may not happen is that one language reads a parameter and the other ignores it.
          expect(moved, `${key}.${param}`).toEqual([moved[0], moved[0]]);
        }
      }
    }
  });
});
