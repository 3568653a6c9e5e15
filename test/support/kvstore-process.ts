// Runs the built kvstore CLI as a child process (the real `npx kvstore` entry point).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
/** The package's bin (what `npx kvstore` runs): a shim that loads dist/cli.js. */
export const kvstoreCli = path.join(repoRoot, 'kvstore/bin/kvstore.js');

/** Compiles the kvstore workspace so dist/ matches src/. */
export function buildKvstore(): void {
  execFileSync('npx', ['tsc', '-b', 'kvstore'], { cwd: repoRoot, stdio: 'inherit' });
}

export interface KvProcess {
  child: ChildProcess;
  port: number;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote to stdout so far (its pino log). */
  output: () => string;
}

/** Starts the CLI and resolves once it logs the port it listens on. */
export function spawnKvstore(env: Record<string, string>): Promise<KvProcess> {
  const child = spawn(process.execPath, [kvstoreCli], {
    env: { ...process.env, KV_PORT: '0', KV_HOST: '127.0.0.1', KV_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let buffered = '';
    let stderr = '';
    let all = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      all += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        try {
          const record = JSON.parse(line) as { msg?: string; port?: number };
          if (record.msg === 'kvstore listening' && typeof record.port === 'number') {
            resolve({
              child,
              port: record.port,
              url: `http://127.0.0.1:${record.port}`,
              exited,
              output: () => all,
            });
          }
        } catch {
          // not a log line
        }
      }
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`kvstore exited (${code ?? signal}) before listening: ${stderr}`)),
    );
  });
}
