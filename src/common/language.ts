import type { Language } from './messages.js';

// The language of a request's messages, from its Accept-Language header (RFC 9110 §12.5.4): the
// supported language the client weighs highest, English when it names none of them. Read once per
// request, where its context is built (context.ts) and where a plain route answers (http/routes.ts).

export const DEFAULT_LANGUAGE: Language = 'en';

/** The language a tag asks for, if it is one the API speaks (Simplified Chinese for zh). */
function supported(tag: string): Language | undefined {
  const t = tag.toLowerCase();
  if (t === 'en' || t.startsWith('en-')) return 'en';
  if (t === 'zh' || t === 'zh-cn' || t === 'zh-sg' || t === 'zh-hans' || t.startsWith('zh-hans-')) return 'zh-CN';
  return undefined;
}

/** The header's best supported language; English when it is absent or names none of them. */
export function negotiateLanguage(header: string | string[] | undefined): Language {
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!value) return DEFAULT_LANGUAGE;
  let best: { language: Language; q: number } | undefined;
  for (const part of value.slice(0, 1000).split(',')) {
    const [rawTag, ...params] = part.trim().split(';');
    const tag = rawTag?.trim() ?? '';
    if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag)) continue;
    let q = 1;
    for (const param of params) {
      const match = /^\s*q\s*=\s*([01](\.\d{0,3})?)\s*$/i.exec(param);
      if (match) q = Math.min(1, Number(match[1]));
    }
    const language = supported(tag);
    // The first of equal weights wins: a client lists its preferences in order.
    if (language && q > 0 && (!best || q > best.q)) best = { language, q };
  }
  return best?.language ?? DEFAULT_LANGUAGE;
}
