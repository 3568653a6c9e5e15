// The self-check's judgement: does an API sample agree with fast-path samples read just before
// and just after it? Counters must lie between the two (plus a small slack), gauges near them,
// and the sample's structure (keys, interfaces, limits) must be the same.
import type { EngineStats, JsonInteger } from '../derive/engine-stats.js';

export interface Disagreement {
  field: string;
  fast: string;
  api: string;
}

const MiB = 1024 * 1024;
/** One USER_HZ tick in ns: the resolution of cpuacct.stat and /proc/stat. */
const TICK_NS = 10_000_000;

function num(value: JsonInteger | null | undefined): number | undefined {
  return value === undefined || value === null ? undefined : Number(value);
}

function sum(values: Iterable<JsonInteger>): number {
  let total = 0;
  for (const value of values) total += Number(value);
  return total;
}

function keys(record: object | null | undefined): string {
  return record === null || record === undefined ? '(none)' : Object.keys(record).sort().join(',');
}

/**
 * Every disagreement between `api` and the fast-path samples `before` and `after` of the same
 * container (read just before the API call and just after it returned). Empty when they agree.
 */
export function compareSamples(before: EngineStats, api: EngineStats, after: EngineStats): Disagreement[] {
  const found: Disagreement[] = [];
  const push = (field: string, fast: string, apiValue: string) => found.push({ field, fast, api: apiValue });

  /** A counter read at a time between the two fast reads lies between them. */
  const counter = (
    field: string,
    get: (s: EngineStats) => number | undefined,
    slack: (v: number) => number,
  ) => {
    const [b, a, x] = [get(before), get(after), get(api)];
    if (b === undefined && a === undefined && x === undefined) return;
    if (b === undefined || a === undefined || x === undefined) {
      push(field, `${b} .. ${a}`, String(x));
      return;
    }
    const low = Math.min(b, a);
    const high = Math.max(b, a);
    if (x < low - slack(low) || x > high + slack(high)) push(field, `${b} .. ${a}`, String(x));
  };
  /** The same in both: limits, CPU count, key sets. */
  const same = (field: string, get: (s: EngineStats) => string) => {
    const [b, a, x] = [get(before), get(after), get(api)];
    if (x !== b && x !== a) push(field, b === a ? b : `${b} | ${a}`, x);
  };

  const cpu = (s: EngineStats) => s.cpu_stats?.cpu_usage;
  counter(
    'cpu.total_usage',
    (s) => num(cpu(s)?.total_usage),
    (v) => v * 0.001 + TICK_NS,
  );
  counter(
    'cpu.usage_in_usermode',
    (s) => num(cpu(s)?.usage_in_usermode),
    () => 2 * TICK_NS,
  );
  counter(
    'cpu.usage_in_kernelmode',
    (s) => num(cpu(s)?.usage_in_kernelmode),
    () => 2 * TICK_NS,
  );
  const online = num(before.cpu_stats?.online_cpus) ?? 1;
  counter(
    'cpu.system_cpu_usage',
    (s) => num(s.cpu_stats?.system_cpu_usage),
    () => 2 * online * TICK_NS,
  );
  counter(
    'cpu.throttled_periods',
    (s) => num(s.cpu_stats?.throttling_data?.throttled_periods),
    () => 2,
  );
  same('cpu.online_cpus', (s) => String(num(s.cpu_stats?.online_cpus)));
  same('cpu.percpu_usage.length', (s) => String(cpu(s)?.percpu_usage?.length ?? '(none)'));

  const memory = (s: EngineStats) => s.memory_stats;
  // A gauge: it may move either way between reads; allow what a busy container moves in a second.
  counter(
    'memory.usage',
    (s) => num(memory(s)?.usage),
    (v) => v * 0.1 + 8 * MiB,
  );
  same('memory.limit', (s) => String(num(memory(s)?.limit)));
  same('memory.max_usage.present', (s) => String(memory(s)?.max_usage !== undefined));
  same('memory.stats.keys', (s) => keys(memory(s)?.stats));
  // Not compared: oom_kills. The fast path's is the kernel's count since the cgroup was
  // created, the API path's the `oom` events seen since the collector followed the container.

  same('networks.interfaces', (s) => keys(s.networks));
  for (const name of Object.keys(api.networks ?? {})) {
    const net = (s: EngineStats) => s.networks?.[name];
    counter(
      `networks.${name}.rx_bytes`,
      (s) => num(net(s)?.rx_bytes),
      (v) => v * 0.01 + 1500,
    );
    counter(
      `networks.${name}.tx_bytes`,
      (s) => num(net(s)?.tx_bytes),
      (v) => v * 0.01 + 1500,
    );
    counter(
      `networks.${name}.rx_packets`,
      (s) => num(net(s)?.rx_packets),
      (v) => v * 0.01 + 2,
    );
    counter(
      `networks.${name}.tx_packets`,
      (s) => num(net(s)?.tx_packets),
      (v) => v * 0.01 + 2,
    );
  }

  for (const family of ['io_service_bytes_recursive', 'io_serviced_recursive'] as const) {
    const entries = (s: EngineStats) => s.blkio_stats?.[family];
    same(`blkio.${family}.present`, (s) =>
      entries(s) === null || entries(s) === undefined ? 'null' : 'array',
    );
    counter(
      `blkio.${family}.sum`,
      (s) => {
        const list = entries(s);
        return list === null || list === undefined ? undefined : sum(list.map((e) => e.value));
      },
      (v) => v * 0.01 + 64 * 1024,
    );
  }

  counter(
    'pids.current',
    (s) => num(s.pids_stats?.current),
    (v) => v * 0.1 + 4,
  );
  same('pids.limit', (s) => String(num(s.pids_stats?.limit) ?? 0));
  return found;
}
