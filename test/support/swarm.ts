// A real 3-node Docker Swarm for integration tests: scripts/testenv/swarm-up.sh builds it
// (three dockerd 20.10 in network namespaces, each with its own API socket), swarm-down.sh
// tears it down by pid. Nothing here touches the engine on /var/run/docker.sock.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';

const run = promisify(execFile);
const scripts = path.resolve(import.meta.dirname, '../../scripts/testenv');
const stateDir = path.join(process.env.TESTENV_STATE_DIR ?? '/tmp/kvobs-testenv', 'swarm');
/** Debian's 20.10 CLI, the nodes' own version. */
const DOCKER_CLI = '/usr/bin/docker';

export interface SwarmNodeHandle {
  /** 1, 2 or 3. */
  index: number;
  /** unix:///.../swN.sock, for DOCKER_HOST. */
  dockerHost: string;
  socketPath: string;
  /** The engine's Name: the engine_host tag of its containers. */
  hostname: string;
  docker: Docker;
  /** `docker -H <this node> ARGS...`; resolves to stdout. */
  cli(...args: string[]): Promise<string>;
  /** The node's dockerd pid, from its pidfile. */
  dockerdPid(): number;
}

/** Builds the swarm (tearing down an earlier one) and loads `images` from the main engine into every node. */
export async function swarmUp(options: { managers: 1 | 3; images: string[] }): Promise<SwarmNodeHandle[]> {
  const args = [path.join(scripts, 'swarm-up.sh'), '--managers', String(options.managers)];
  for (const image of options.images) args.push('--image', image);
  const { stdout } = await run('bash', args, { timeout: 150_000 });
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [name = '', dockerHost = '', hostname = ''] = line.split(' ');
      const index = Number(name.replace(/^sw/, ''));
      const socketPath = dockerHost.replace(/^unix:\/\//, '');
      return {
        index,
        dockerHost,
        socketPath,
        hostname,
        docker: new Docker({ socketPath }),
        cli: async (...cliArgs: string[]) => {
          const env = { ...process.env };
          delete env.DOCKER_HOST;
          delete env.DOCKER_CONTEXT;
          const result = await run(DOCKER_CLI, ['-H', dockerHost, ...cliArgs], { env, timeout: 60_000 });
          return result.stdout;
        },
        dockerdPid: () =>
          Number(readFileSync(path.join(stateDir, `sw${index}`, 'dockerd.pid'), 'utf8').trim()),
      };
    });
}

/** Tears the swarm down, whatever state it is in; returns how long it took, ms. */
export async function swarmDown(): Promise<number> {
  const started = Date.now();
  // Patient: removing three nodes' data roots is slow on a loaded machine.
  await run('bash', [path.join(scripts, 'swarm-down.sh')], { timeout: 240_000 });
  return Date.now() - started;
}
