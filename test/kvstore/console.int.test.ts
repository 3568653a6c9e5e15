// The web console end to end: headless Chromium, through the real nginx with TLS, against the
// real app. It logs in, adds, pages, edits, counts TTL down, deletes, exports, imports and
// switches language; hostile keys and values must stay text.
import { readFile } from 'node:fs/promises';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KvHarness, startKvstore } from '../support/kvstore-app.js';
import {
  CHROMIUM_BIN,
  haveBinaries,
  NGINX_BIN,
  type RunningNginx,
  startNginx,
} from '../support/kvstore-nginx.js';

const HOSTILE = '<img src=x onerror=alert(1)>';
const json = { 'content-type': 'application/json' };

describe.runIf(haveBinaries(NGINX_BIN, CHROMIUM_BIN))('kvstore console in Chromium through nginx', () => {
  let kv: KvHarness;
  let nginx: RunningNginx;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const dialogs: string[] = [];

  const row = (key: string) =>
    page.locator('#keys tbody tr').filter({ has: page.locator('td.key', { hasText: key }) });
  const status = () => page.locator('#status').textContent();

  beforeAll(async () => {
    kv = await startKvstore({ KV_COOKIE_SECURE: 'true' });
    nginx = await startNginx({ upstreamPort: kv.running.port });
    browser = await chromium.launch({
      executablePath: CHROMIUM_BIN,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-quic',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true, locale: 'en-US' });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${nginx.httpsUrl}/`);
  });
  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
    await kv?.close();
  });

  it('refuses a wrong password and logs in with the right one', async () => {
    await page.locator('#login-view').waitFor({ state: 'visible' });
    await page.fill('input[name=username]', kv.adminUser);
    await page.fill('input[name=password]', 'wrong password');
    await page.click('#login-form button[type=submit]');
    await expect.poll(status).toBe('Wrong user name or password.');
    await page.fill('input[name=password]', kv.adminPassword);
    await page.click('#login-form button[type=submit]');
    // Shows the status line (the console's error message) if the console never appears.
    await expect
      .poll(async () => ((await page.locator('#kv-view').isVisible()) ? 'console shown' : await status()), {
        timeout: 20_000,
      })
      .toBe('console shown');
    expect(await page.locator('#whoami').textContent()).toBe(`Signed in as ${kv.adminUser}`);
    const cookies = await context.cookies();
    expect(cookies.find((cookie) => cookie.name === 'kv_session')).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
    });
  });

  it('adds keys, including a hostile key and value that render as text', async () => {
    const add = async (key: string, value: string, ttl: number) => {
      await page.fill('#add-form input[name=key]', key);
      await page.fill('#add-form textarea[name=value]', value);
      await page.fill('#add-form input[name=ttl]', String(ttl));
      await page.click('#add-form button[type=submit]');
      await expect.poll(status).toBe(`Added ${key}.`);
    };
    await add(HOSTILE, HOSTILE, 0);
    await add('countdown', 'tick', 300);
    const hostileRow = row(HOSTILE);
    expect(await hostileRow.locator('td.key').textContent()).toBe(HOSTILE);
    expect(await hostileRow.locator('td.value').textContent()).toBe(HOSTILE);
    expect(await page.locator('#keys img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    // Adding an existing key does not overwrite it.
    await page.fill('#add-form input[name=key]', 'countdown');
    await page.fill('#add-form textarea[name=value]', 'overwrite?');
    await page.click('#add-form button[type=submit]');
    await expect.poll(status).toContain('already exists');
    expect((await (await kv.api('/api/kv/countdown')).json()).value).toBe('tick');
  });

  it('counts the TTL down live', async () => {
    const ttlCell = row('countdown').locator('td.ttl');
    const first = Number.parseInt((await ttlCell.textContent()) ?? '', 10);
    expect(first).toBeGreaterThan(290);
    expect(first).toBeLessThanOrEqual(300);
    await expect
      .poll(async () => Number.parseInt((await ttlCell.textContent()) ?? '', 10), { timeout: 10_000 })
      .toBeLessThan(first);
  });

  it('edits a value and its TTL in place', async () => {
    await row('countdown').locator('button.edit').click();
    await row('countdown').locator('textarea.edit-value').fill('edited <script>alert(2)</script>');
    await row('countdown').locator('input.edit-ttl').fill('0');
    await row('countdown').locator('button.save').click();
    await expect.poll(status).toBe('Saved countdown.');
    expect(await row('countdown').locator('td.value').textContent()).toBe('edited <script>alert(2)</script>');
    expect(await row('countdown').locator('td.ttl').textContent()).toBe('none');
    expect(await (await kv.api('/api/kv/countdown')).json()).toMatchObject({
      value: 'edited <script>alert(2)</script>',
      ttl: 0,
    });
  });

  it('pages through keys', async () => {
    for (let i = 0; i < 25; i += 1) {
      await kv.api(`/api/kv/bulk/${String(i).padStart(2, '0')}`, {
        method: 'PUT',
        headers: json,
        body: '{"value":"b"}',
      });
    }
    // Enter commits the field: one change event, one reload.
    await page.fill('#prefix', 'bulk/');
    await page.press('#prefix', 'Enter');
    await expect.poll(() => page.locator('#keys tbody tr').count()).toBe(20);
    expect(await page.locator('#keys tbody tr td.key').first().textContent()).toBe('bulk/00');
    await page.click('#next');
    await expect.poll(() => page.locator('#keys tbody tr').count()).toBe(5);
    expect(await page.locator('#page-number').textContent()).toBe('Page 2');
    expect(await page.locator('#next').isDisabled()).toBe(true);
    await page.click('#prev');
    await expect.poll(() => page.locator('#keys tbody tr').count()).toBe(20);
    await page.fill('#prefix', '');
    await page.press('#prefix', 'Enter');
    await expect.poll(() => row(HOSTILE).count()).toBe(1);
  });

  it('deletes a key after confirmation', async () => {
    const button = row(HOSTILE).locator('button.delete');
    await button.click();
    expect(await button.textContent()).toBe('Really delete?');
    await button.click();
    await expect.poll(status).toBe(`Deleted ${HOSTILE}.`);
    expect(await row(HOSTILE).count()).toBe(0);
    expect((await kv.api(`/api/kv/${encodeURIComponent(HOSTILE)}`)).status).toBe(404);
  });

  it('exports all keys as JSON and imports a file', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
    const exported = JSON.parse(await readFile((await download.path()) ?? '', 'utf8'));
    expect(exported.format).toBe('kvstore-export');
    expect(exported.items).toContainEqual({
      key: 'countdown',
      value: 'edited <script>alert(2)</script>',
      ttl: 0,
    });
    expect(exported.items).toHaveLength(26);

    const importDoc = { items: [{ key: '<b>imported</b>', value: HOSTILE, ttl: 120 }] };
    await page.setInputFiles('#import', {
      name: 'import.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(importDoc)),
    });
    await expect.poll(status).toBe('Imported 1 keys.');
    expect(await row('<b>imported</b>').locator('td.value').textContent()).toBe(HOSTILE);
    expect(await page.locator('#keys img, #keys b').count()).toBe(0);
    expect(await (await kv.api(`/api/kv/${encodeURIComponent('<b>imported</b>')}`)).json()).toMatchObject({
      value: HOSTILE,
    });
    expect(dialogs).toEqual([]);
  });

  it('switches to Simplified Chinese and logs out', async () => {
    await page.selectOption('#language', 'zh-CN');
    expect(await page.locator('#add-form button[type=submit]').textContent()).toBe('添加');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.fill('#prefix', 'countdown');
    await page.press('#prefix', 'Enter');
    await expect.poll(() => page.locator('#keys tbody tr').count()).toBe(1);
    expect(await row('countdown').locator('td.ttl').textContent()).toBe('无');
    expect(await page.locator('#page-number').textContent()).toBe('第 1 页');
    await page.click('#logout');
    await page.locator('#login-view').waitFor({ state: 'visible' });
    await page.reload();
    await page.locator('#login-view').waitFor({ state: 'visible' });
    expect(await page.locator('#login-form button[type=submit]').textContent()).toBe('登录');
    expect(dialogs).toEqual([]);
  });
});
