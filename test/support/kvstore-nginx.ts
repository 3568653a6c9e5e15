// Runs the system nginx with kvstore's real config template on free loopback ports, with a
// certificate made by kvstore's own generation script, in a throwaway prefix directory.
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '../..');
export const NGINX_BIN = '/usr/sbin/nginx';
export const CHROMIUM_BIN = '/usr/bin/chromium';
export const nginxDir = path.join(repoRoot, 'kvstore/nginx');
export const publicDir = path.join(repoRoot, 'kvstore/public');

/** True when the binaries exist; false skips locally, and under CI=true a missing one throws. */
export function haveBinaries(...binaries: string[]): boolean {
  const missing = binaries.filter((binary) => !existsSync(binary));
  if (missing.length === 0) return true;
  if (process.env.CI === 'true')
    throw new Error(`CI=true and missing: ${missing.join(', ')} (run scripts/testenv/setup.sh)`);
  console.warn(`kvstore suite skipped, missing: ${missing.join(', ')}`);
  return false;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface NginxOptions {
  upstreamPort: number;
  rate?: string;
  rateBurst?: number;
  maxBody?: string;
  importMaxBody?: string;
}

export interface RunningNginx {
  httpPort: number;
  httpsPort: number;
  httpsUrl: string;
  httpUrl: string;
  dir: string;
  stop: () => Promise<void>;
}

/** Renders the template the way the nginx image does: only ${KV_*} names are substituted. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\$\{(KV_[A-Z0-9_]+)\}/g, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template variable ${name} has no value`);
    return value;
  });
}

/**
 * The values that switch HTTP/2 on in the template (KV_HTTP2_LISTEN, KV_HTTP2_DIRECTIVE), from
 * kvstore-http2.sh, the script the image's entrypoint runs: for the given `nginx -v` text, or
 * without one for the host's nginx (NGINX_BIN).
 */
export function http2TemplateValues(nginxVersion?: string): Record<string, string> {
  const output = execFileSync(
    'sh',
    [path.join(nginxDir, 'kvstore-http2.sh'), ...(nginxVersion === undefined ? [] : [nginxVersion])],
    { env: { ...process.env, NGINX_BIN }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return Object.fromEntries(
    output
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Copies a tree and makes it world-readable (directories 0755, files 0644). */
function copyReadable(source: string, target: string): void {
  cpSync(source, target, { recursive: true });
  const walk = (current: string): void => {
    chmodSync(current, 0o755);
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else chmodSync(full, 0o644);
    }
  };
  walk(target);
}

export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kvstore-nginx-'));
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  // Workers run as an unprivileged user when nginx starts as root: temp dirs must be theirs too.
  chmodSync(dir, 0o755);
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(path.join(dir, temp));
    chmodSync(path.join(dir, temp), 0o777);
  }
  // The workers also read the console files. The checkout may sit where they cannot enter (a
  // clone in /root, mode 700 on Debian, answers 404), so they are served from a copy in this
  // prefix, like the image serves its own copy in /usr/share/nginx/kvstore.
  const staticRoot = path.join(dir, 'public');
  copyReadable(publicDir, staticRoot);
  const tlsDir = path.join(dir, 'tls');
  execFileSync('sh', [path.join(nginxDir, '40-kvstore-cert.sh')], {
    env: { ...process.env, KV_TLS_DIR: tlsDir },
  });
  const site = renderTemplate(readFileSync(path.join(nginxDir, 'kvstore.conf.template'), 'utf8'), {
    KV_UPSTREAM: `127.0.0.1:${options.upstreamPort}`,
    KV_HTTP_PORT: `127.0.0.1:${httpPort}`,
    KV_HTTPS_PORT: `127.0.0.1:${httpsPort}`,
    KV_PUBLIC_HTTPS_PORT: String(httpsPort),
    KV_TLS_DIR: tlsDir,
    KV_STATIC_ROOT: staticRoot,
    KV_MAX_BODY: options.maxBody ?? '1088k',
    KV_IMPORT_MAX_BODY: options.importMaxBody ?? '32m',
    KV_RATE: options.rate ?? '100r/s',
    KV_RATE_BURST: String(options.rateBurst ?? 200),
    ...http2TemplateValues(),
  });
  writeFileSync(path.join(dir, 'kvstore.conf'), site);
  copyFileSync(path.join(nginxDir, 'kvstore-proxy.conf'), path.join(dir, 'kvstore-proxy.conf'));
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      'events { worker_connections 1024; }',
      'http {',
      '  include /etc/nginx/mime.types;',
      '  default_type application/octet-stream;',
      `  access_log ${dir}/access.log;`,
      `  client_body_temp_path ${dir}/body;`,
      `  proxy_temp_path ${dir}/proxy;`,
      `  fastcgi_temp_path ${dir}/fastcgi;`,
      `  uwsgi_temp_path ${dir}/uwsgi;`,
      `  scgi_temp_path ${dir}/scgi;`,
      `  include ${dir}/kvstore.conf;`,
      '}',
    ].join('\n'),
  );
  const child = spawn(
    NGINX_BIN,
    [
      '-p',
      dir,
      '-c',
      path.join(dir, 'nginx.conf'),
      '-e',
      path.join(dir, 'error.log'),
      '-g',
      `daemon off; pid ${dir}/nginx.pid;`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const httpsUrl = `https://127.0.0.1:${httpsPort}`;
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) {
      const log = existsSync(path.join(dir, 'error.log'))
        ? readFileSync(path.join(dir, 'error.log'), 'utf8')
        : '';
      throw new Error(`nginx exited: ${stderr}${log}`);
    }
    try {
      if ((await fetchInsecure(`${httpsUrl}/health`)).status === 200) break;
    } catch {
      if (attempt > 100) throw new Error(`nginx did not answer: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    httpPort,
    httpsPort,
    httpUrl,
    httpsUrl,
    dir,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGQUIT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** HTTP(S) request that accepts the self-signed certificate (Node's fetch cannot). */
export function fetchInsecure(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<PlainResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      { method: init.method ?? 'GET', headers: init.headers, rejectUnauthorized: false, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
