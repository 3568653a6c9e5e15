// What the collector's benchmarks share: the bench InfluxDB, bench containers, and figures.
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Docker from 'dockerode';

export const run = promisify(execFile);
export const root = path.resolve(import.meta.dirname, '../..');
const scripts = path.join(root, 'scripts/testenv');
const docker = new Docker();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const fmt = (value, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
export const CLK_TCK = 100;

/** CPU seconds (user + system) of one process, from /proc/<pid>/stat; 0 once it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/**
 * Re-runs the bench at `moduleUrl` with the daemon's V8 flags when this process lacks them,
 * and exits with its status. The GC settings decide much of the cost measured, so they are the
 * daemon's own: the shim's shebang (collector/bin/collector.js) is the one place they are set.
 */
export function runWithDaemonFlags(moduleUrl) {
  const shebang = readFileSync(path.join(root, 'collector/bin/collector.js'), 'utf8').split('\n', 1)[0] ?? '';
  const daemonFlags = shebang.split(/\s+/).filter((word) => word.startsWith('--'));
  if (daemonFlags.every((flag) => process.execArgv.includes(flag))) return;
  const child = spawnSync(process.execPath, [...process.execArgv, ...daemonFlags, fileURLToPath(moduleUrl)], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
}

/** Starts a private InfluxDB for the bench; returns its URL. */
export async function startInflux(name) {
  return (await run('bash', [path.join(scripts, 'start-influxdb.sh'), name])).stdout.trim();
}

export async function stopInflux(name) {
  await run('bash', [path.join(scripts, 'stop-influxdb.sh'), name]).catch((error) => {
    process.stderr.write(`cannot stop the bench InfluxDB: ${error.message}\n`);
  });
}

export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/**
 * Starts up to n containers named `<prefix>-<i>`, 8 at a time, labelled kvobs.bench=1 (plus
 * `labels`); returns how many run (fewer if the machine says no).
 * busy: a little work every 100 ms (enough at N = 100 without saturating 2 cores); else sleep.
 */
export async function startContainers(prefix, n, busy, labels = {}) {
  const cmd = busy
    ? ['sh', '-c', 'while true; do i=0; while [ $i -lt 200 ]; do i=$((i+1)); done; sleep 0.1; done']
    : ['sleep', '86400'];
  let next = 0;
  let running = 0;
  let failure;
  const worker = async () => {
    while (failure === undefined && next < n) {
      // Leave room for whatever else runs here: stop while 4 GiB are still available.
      const available =
        Number(/^MemAvailable:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1]) * 1024;
      if (available < 4 * 2 ** 30) {
        failure = new Error('less than 4 GiB of memory left');
        break;
      }
      const i = next++;
      try {
        const container = await docker.createContainer({
          name: `${prefix}-${i}`,
          Image: 'local/busybox:1',
          Cmd: cmd,
          Labels: { 'kvobs.test': '1', 'kvobs.bench': '1', ...labels },
        });
        await container.start();
        running++;
        if (running % 100 === 0) process.stderr.write(`  ${running} running\n`);
      } catch (error) {
        failure = error;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  if (failure !== undefined) process.stderr.write(`  stopped at ${running} containers: ${failure.message}\n`);
  return running;
}

/**
 * Removes the bench's containers (those with `label`, every bench's by default); never throws
 * (the figures matter more than the cleanup).
 */
export async function removeBenchContainers(label = 'kvobs.bench=1') {
  let ids;
  try {
    const list = await docker.listContainers({ all: true, filters: { label: [label] } });
    ids = list.map((c) => c.Id);
  } catch (error) {
    process.stderr.write(`  cannot list bench containers: ${error.message}\n`);
    return;
  }
  // One at a time: dockerd 20.10.24 here deadlocked (libnetwork's endpoint-delete watch loop
  // and container-exit cleanup take the controller and network locks in opposite orders)
  // while 8 forced removals of 1,000 ran at once. A stalled removal means the engine is
  // stuck, so the rest are not tried; the message says how to recover.
  const started = Date.now();
  let removed = 0;
  for (const id of ids) {
    try {
      await docker.getContainer(id).remove({ force: true, abortSignal: AbortSignal.timeout(60_000) });
    } catch (error) {
      // Aborted: the engine did not answer in a minute. Any other error (already gone,
      // removal in progress) leaves nothing for the bench to clean up.
      if (error.name === 'AbortError' || error.name === 'TimeoutError') {
        process.stderr.write(
          `  removing ${id.slice(0, 12)} stalled for 60 s: dockerd looks stuck, ${ids.length - removed} bench ` +
            'containers left. Restart dockerd, then: docker rm -f $(docker ps -aq --filter label=kvobs.bench=1)\n',
        );
        return;
      }
    }
    removed++;
    if (removed % 100 === 0 && removed < ids.length) process.stderr.write(`  ${removed} removed\n`);
  }
  if (ids.length > 0)
    process.stderr.write(`  ${removed} removed in ${fmt((Date.now() - started) / 1000, 0)} s\n`);
}
