import { describe, expect, it } from 'vitest';
import { AppError } from '../src/common/errors.js';
import { cleanText, findUnstorableText, hasVisibleText, isStorableText, requiredText } from '../src/common/text.js';

// The one place text is judged: storable at all, and saying something.

describe('storable text', () => {
  it.each(['', 'abc', '华为技术', '😀', 'a\ud83d\ude00b', '\u0001\u007f', '\ufffe', '\u{10FFFF}'])('%j can be stored', (text) => {
    expect(isStorableText(text)).toBe(true);
  });

  it.each(['\u0000', 'a\u0000', '\ud800', 'a\ud83d', '\ude00', '\ude00\ud83d', 'x\udbffy'])('%j cannot', (text) => {
    expect(isStorableText(text)).toBe(false);
  });

  it('finds the first unstorable string in nested values, with its path', () => {
    expect(findUnstorableText({ a: [1, 'ok', { b: 'x\u0000' }] }, ['input'])).toEqual({
      field: ['input', 'a', '2', 'b'],
      reason: 'contains a NUL character (U+0000)',
    });
    expect(findUnstorableText({ a: ['ok', null, 3, true] })).toBeUndefined();
  });
});

describe('cleaning', () => {
  it('trims white space and invisible characters at both ends, and keeps what completes a character', () => {
    expect(cleanText('  \u200b\ufeffAcme\u200b\u00a0\u3000')).toBe('Acme');
    expect(cleanText('\u202eabc\u202c')).toBe('abc');
    expect(cleanText('❤️')).toBe('❤️');
    expect(cleanText('👍🏽')).toBe('👍🏽');
    const england = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}';
    expect(cleanText(england)).toBe(england);
    expect(cleanText('a\u200db')).toBe('a\u200db');
  });

  it('blank or invisible-only is null; undefined and null stay', () => {
    for (const blank of ['', '   ', '\u200b\u200b', '\ufeff', '\u2060\u00ad', '\u3164', '\u115f\u1160', '\u2800', '\u0301', '\ufe0f', '\t\n']) {
      expect(cleanText(blank)).toBeNull();
      expect(hasVisibleText(blank)).toBe(false);
    }
    expect(cleanText(undefined)).toBeUndefined();
    expect(cleanText(null)).toBeNull();
  });

  it('required text refuses what shows nothing, naming the input field', () => {
    expect(requiredText(' 李娜 ', 'name')).toBe('李娜');
    expect(() => requiredText('\u200b', 'name')).toThrow(AppError);
    try {
      requiredText('\u200b', ['input', 'items', '0', 'product']);
    } catch (error) {
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED', field: ['input', 'items', '0', 'product'] });
    }
  });
});
