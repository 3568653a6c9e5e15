// A TCP port inside another network namespace (a container's on a test-swarm node), made
// reachable from this process as http://127.0.0.1:<port>: a helper process entered into that
// namespace (nsenter --net) serves a unix socket and connects each client to the port there;
// a local TCP server pipes to that socket. A unix socket's path is shared across network
// namespaces, a TCP address is not, and the swarm's nodes are not routed from here.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Runs inside the namespace: argv socket path and port; prints `ready`, exits when stdin closes. */
const INSIDE = `
const net = require('node:net');
const [socketPath, port] = process.argv.slice(1);
const server = net.createServer((client) => {
  const target = net.connect(Number(port), '127.0.0.1');
  client.pipe(target).pipe(client);
  client.on('error', () => target.destroy());
  target.on('error', () => client.destroy());
});
server.listen(socketPath, () => process.stdout.write('ready\\n'));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
`;

export interface NetnsForward {
  /** http://127.0.0.1:<local port> */
  url: string;
  /** The helper's pid (the process in the namespace). */
  pid: number;
  /** Stops the local server and the helper (by its pid); safe to call twice. */
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<ephemeral> here to 127.0.0.1:`port` in the network namespace of process `pid`. */
export async function forwardIntoNetns(pid: number, port: number): Promise<NetnsForward> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dockwatch-netns-'));
  const socketPath = path.join(dir, 'forward.sock');
  // nsenter without --pid execs the command: the child's pid is the helper's.
  const helper: ChildProcess = spawn(
    'nsenter',
    [`--net=/proc/${pid}/ns/net`, process.execPath, '-e', INSIDE, socketPath, String(port)],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  helper.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stopHelper = () => {
    if (helper.exitCode === null && helper.signalCode === null && helper.pid !== undefined)
      process.kill(helper.pid, 'SIGTERM');
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`netns helper not ready in 10 s: ${stderr}`)), 10_000);
      helper.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      helper.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`netns helper exited (${code}): ${stderr}`));
      });
    });
  } catch (error) {
    stopHelper();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const inside = net.connect(socketPath);
    open.add(client);
    client.on('close', () => open.delete(client));
    client.pipe(inside).pipe(client);
    client.on('error', () => inside.destroy());
    inside.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  let closed = false;
  return {
    url: `http://127.0.0.1:${address.port}`,
    pid: helper.pid ?? -1,
    close: async () => {
      if (closed) return;
      closed = true;
      // fetch keeps its connections alive, which would hold close() open.
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      stopHelper();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
