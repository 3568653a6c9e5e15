// Both languages cover every problem code, and Accept-Language picks sensibly.
import { describe, expect, it } from 'vitest';
import { LANGUAGES, PROBLEM_CODES, PROBLEM_TITLES, pickLanguage } from '@dockwatch/kvstore';

describe('API message tables', () => {
  it.each(LANGUAGES)('%s has a non-empty title for every problem code and nothing else', (language) => {
    const table = PROBLEM_TITLES[language];
    expect(Object.keys(table).sort()).toEqual([...PROBLEM_CODES].sort());
    for (const code of PROBLEM_CODES) expect(table[code].trim()).not.toBe('');
  });

  it('does not leave Chinese titles in English', () => {
    const untranslated = PROBLEM_CODES.filter(
      (code) => PROBLEM_TITLES['zh-CN'][code] === PROBLEM_TITLES.en[code],
    );
    expect(untranslated).toEqual([]);
  });

  it.each([
    [undefined, 'en'],
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-Hans-CN;q=0.8, en;q=0.9', 'en'],
    ['fr, zh-TW;q=0.5', 'zh-CN'],
    ['fr', 'en'],
    ['en;q=0, zh', 'zh-CN'],
    ['*', 'en'],
  ])('Accept-Language %j -> %s', (header, expected) => {
    expect(pickLanguage(header, 'en')).toBe(expected);
  });
});
