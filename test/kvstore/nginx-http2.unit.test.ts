// How the nginx template switches HTTP/2 on: "http2 on;" from nginx 1.25.1 (the bundle's 1.27),
// the http2 parameter of listen before (Debian 12's 1.22, the tests' nginx). The decision is
// kvstore-http2.sh's, which both the image's entrypoint and the test harness run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { http2TemplateValues, nginxDir, renderTemplate } from '../support/kvstore-nginx.js';

const template = readFileSync(path.join(nginxDir, 'kvstore.conf.template'), 'utf8');
const entrypoint = readFileSync(path.join(nginxDir, 'docker-entrypoint.sh'), 'utf8');
const dockerfile = readFileSync(path.join(nginxDir, 'Dockerfile'), 'utf8');

const otherValues = {
  KV_UPSTREAM: 'kvstore:8080',
  KV_HTTP_PORT: '8080',
  KV_HTTPS_PORT: '8443',
  KV_PUBLIC_HTTPS_PORT: '443',
  KV_TLS_DIR: '/etc/nginx/tls',
  KV_STATIC_ROOT: '/usr/share/nginx/kvstore',
  KV_MAX_BODY: '1088k',
  KV_IMPORT_MAX_BODY: '32m',
  KV_RATE: '100r/s',
  KV_RATE_BURST: '200',
};

const LEGACY = 'listen 8443 ssl http2;';
const MODERN = 'http2 on;';

function render(nginxVersion: string): string {
  return renderTemplate(template, { ...otherValues, ...http2TemplateValues(nginxVersion) });
}

/** The directive lines of the rendered config (comments and blank lines left out). */
function directives(config: string): string[] {
  return config
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('HTTP/2 in the nginx template', () => {
  it.each([
    'nginx version: nginx/1.22.1',
    '1.22.1',
    'nginx version: nginx/1.25.0',
    'nginx version: nginx/1.18.0 (Ubuntu)',
  ])('puts http2 on the listen line for %s', (version) => {
    const lines = directives(render(version));
    expect(lines).toContain(LEGACY);
    expect(lines).not.toContain(MODERN);
  });

  it.each([
    'nginx version: nginx/1.25.1',
    'nginx version: nginx/1.27.4',
    '1.27.5',
    'nginx version: nginx/1.29.0 (Ubuntu)',
    'nginx version: nginx/2.0.0',
  ])('uses "http2 on;" for %s', (version) => {
    const lines = directives(render(version));
    expect(lines).toContain('listen 8443 ssl;');
    expect(lines).toContain(MODERN);
    expect(lines.filter((line) => line.startsWith('listen') && line.includes('http2'))).toEqual([]);
  });

  it('says why in the rendered config for an old nginx', () => {
    expect(http2TemplateValues('nginx version: nginx/1.22.1')).toEqual({
      KV_HTTP2_LISTEN: ' http2',
      KV_HTTP2_DIRECTIVE: '# nginx 1.22.1 < 1.25.1: HTTP/2 is the http2 parameter of listen above',
    });
  });

  it('refuses a text without a version instead of guessing', () => {
    expect(() => http2TemplateValues('nginx: command not found')).toThrow(/no nginx version/);
  });

  it("decides for the host's nginx when given no version", () => {
    expect(Object.keys(http2TemplateValues()).sort()).toEqual(['KV_HTTP2_DIRECTIVE', 'KV_HTTP2_LISTEN']);
  });

  it('is wired into the image: the entrypoint runs the script and substitutes every template variable', () => {
    expect(dockerfile).toContain(
      'COPY kvstore/nginx/kvstore-http2.sh /usr/local/lib/kvstore-nginx/kvstore-http2.sh',
    );
    expect(entrypoint).toContain('/usr/local/lib/kvstore-nginx/kvstore-http2.sh');
    const inTemplate = new Set([...template.matchAll(/\$\{(KV_[A-Z0-9_]+)\}/g)].map((match) => match[1]));
    const vars = /^vars='([^']*)'/m.exec(entrypoint)?.[1] ?? '';
    const substituted = new Set([...vars.matchAll(/\$\{(KV_[A-Z0-9_]+)\}/g)].map((match) => match[1]));
    expect([...substituted].sort()).toEqual([...inTemplate].sort());
  });
});
