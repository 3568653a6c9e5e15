// The console's message tables: both languages complete, and every message the page or the
// script asks for exists. Also: the console never assigns HTML.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain browser JS without type declarations
import { format, LANGUAGES, MESSAGES, preferredLanguage } from '@dockwatch/kvstore/console/i18n';

const publicDir = path.resolve(import.meta.dirname, '../../kvstore/public');
const html = readFileSync(path.join(publicDir, 'index.html'), 'utf8');
const script = readFileSync(path.join(publicDir, 'app.js'), 'utf8');
const messages = MESSAGES as Record<string, Record<string, string>>;

describe('console messages', () => {
  const english = Object.keys(messages.en ?? {}).sort();

  it.each(LANGUAGES as string[])('%s has exactly the English keys, none empty', (language) => {
    const table = messages[language] ?? {};
    expect(Object.keys(table).sort()).toEqual(english);
    for (const value of Object.values(table)) expect(value.trim()).not.toBe('');
  });

  it('keeps the same {placeholders} in every language', () => {
    for (const key of english) {
      const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(messages['zh-CN']?.[key] ?? ''), key).toEqual(names(messages.en?.[key] ?? ''));
    }
  });

  it('has every message the page and the script use', () => {
    const used = new Set([
      ...[...html.matchAll(/data-i18n="(\w+)"/g)].map((m) => m[1]),
      ...[...script.matchAll(/\bt\('(\w+)'/g)].map((m) => m[1]),
    ]);
    expect(used.size).toBeGreaterThan(20);
    for (const key of used) expect(english, String(key)).toContain(key);
  });

  it('formats placeholders and picks a language', () => {
    expect(format('zh-CN', 'imported', { n: 3 })).toBe('已导入 3 个键。');
    expect(format('en', 'added', { key: '<b>' })).toBe('Added <b>.');
    expect(preferredLanguage(['zh-TW', 'en'])).toBe('zh-CN');
    expect(preferredLanguage(['de'])).toBe('en');
  });

  it('never writes HTML from script', () => {
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(/);
  });
});
