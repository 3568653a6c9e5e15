// The kernel-file parsers and the cgroup path rules of the fast path.
import { describe, expect, it } from 'vitest';
import {
  candidatePaths,
  expandSlice,
  layoutOf,
  parseBlkioV1,
  parseCounter,
  parseIoStatV2,
  parseKeyed,
  parseKeyedSubset,
  parseKeyedValue,
  parseMemTotal,
  parseNetDev,
  parseProcCgroup,
  parseProcStat,
  parseSingleValue,
  ticksToNs,
  usecToNs,
  rfc3339Now,
  parseTimestampNs,
} from '@dockwatch/collector';

describe('fast path parsers', () => {
  it('counters stay exact beyond 2^53, as bigint', () => {
    expect(parseCounter('123\n')).toBe(123);
    expect(parseCounter('9223372036854771712')).toBe(9223372036854771712n);
    expect(parseCounter('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseCounter('max')).toBeUndefined();
    expect(parseCounter(' 42 \n')).toBe(42);
    expect(parseCounter('')).toBeUndefined();
    expect(parseCounter('4 2')).toBeUndefined();
    expect(parseCounter('-1')).toBeUndefined();
    expect(parseSingleValue('max\n')).toBe(0);
    expect(ticksToNs(3)).toBe(30_000_000);
    expect(usecToNs(2n ** 60n)).toBe(2n ** 60n * 1000n);
  });

  it('keyed files: every key, or only the wanted ones with 0 for those the kernel lacks', () => {
    const text = 'cache 4096\nrss 8192\ntotal_rss 18446744073709551615\nbogus x\n\n';
    expect(parseKeyed(text)).toEqual(
      new Map<string, number | bigint>([
        ['cache', 4096],
        ['rss', 8192],
        ['total_rss', 18446744073709551615n],
      ]),
    );
    const keys = ['rss', 'dirty', 'cache'];
    const subset = parseKeyedSubset(text, keys, new Set(keys));
    expect(subset).toEqual({ rss: 8192, dirty: 0, cache: 4096 });
    expect(Object.keys(subset)).toEqual(keys);
  });

  it('/proc/stat: the first seven fields of the cpu line (not steal), and the cpuN lines', () => {
    const text =
      'cpu  100 2 30 400 5 0 6 77 0 0\ncpu0 1 1 1 1 1 1 1 0 0 0\ncpu1 1 1 1 1 1 1 1 0 0 0\nintr 5\n';
    expect(parseProcStat(text)).toEqual({
      systemCpuUsage: (100 + 2 + 30 + 400 + 5 + 0 + 6) * 1e7,
      onlineCpus: 2,
    });
    expect(parseProcStat('intr 5\n')).toBeUndefined();
  });

  it('/proc/meminfo MemTotal in bytes', () => {
    expect(parseMemTotal('MemTotal:       24684096 kB\nMemFree: 1 kB\n')).toBe(24684096 * 1024);
  });

  it('net/dev: the eight counters per interface, drop columns included', () => {
    const text =
      'Inter-|   Receive\n face |bytes packets errs drop fifo frame compressed multicast|bytes ...\n' +
      '    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0\n' +
      '  eth0:    1850      25    1    2    0     0          0         0      700       7    3    4    0     0       0          0\n';
    const interfaces = parseNetDev(text);
    expect([...interfaces.keys()]).toEqual(['lo', 'eth0']);
    expect(interfaces.get('eth0')).toEqual({
      rx_bytes: 1850,
      rx_packets: 25,
      rx_errors: 1,
      rx_dropped: 2,
      tx_bytes: 700,
      tx_packets: 7,
      tx_errors: 3,
      tx_dropped: 4,
    });
  });

  it('v1 blkio: skips the Total line; v2 io.stat: read and write per device, null when empty', () => {
    expect(parseBlkioV1('8:0 Read 4096\n8:0 Write 512\n8:0 Total 4608\nTotal 4608\n')).toEqual([
      { major: 8, minor: 0, op: 'Read', value: 4096 },
      { major: 8, minor: 0, op: 'Write', value: 512 },
      { major: 8, minor: 0, op: 'Total', value: 4608 },
    ]);
    expect(parseBlkioV1('Total 0\n')).toEqual([]);
    expect(parseIoStatV2('259:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n')).toEqual([
      { major: 259, minor: 0, op: 'read', value: 10 },
      { major: 259, minor: 0, op: 'write', value: 20 },
    ]);
    expect(parseIoStatV2('')).toBeNull();
  });

  it('keyed files and /proc/<pid>/cgroup lines', () => {
    expect(parseKeyed('user 12\nsystem 3\n')).toEqual(
      new Map([
        ['user', 12],
        ['system', 3],
      ]),
    );
    expect(parseProcCgroup('4:memory:/docker/abc\n1:cpu,cpuacct:/docker/abc\n0::/x\n')).toEqual([
      { hierarchy: '4', controllers: ['memory'], path: '/docker/abc' },
      { hierarchy: '1', controllers: ['cpu', 'cpuacct'], path: '/docker/abc' },
      { hierarchy: '0', controllers: [], path: '/x' },
    ]);
  });

  it('one key of a keyed file: oom_kill of v1 memory.oom_control and v2 memory.events', () => {
    // As the kernel writes them (Linux 4.13+); `oom_kill_disable` and `oom_group_kill` are other keys.
    expect(parseKeyedValue('oom_kill_disable 0\nunder_oom 0\noom_kill 3\n', 'oom_kill')).toBe(3);
    expect(parseKeyedValue('oom_kill_disable 1\nunder_oom 1\n', 'oom_kill')).toBeUndefined();
    const events = 'low 0\nhigh 0\nmax 41\noom 2\noom_group_kill 0\noom_kill 18446744073709551615\n';
    expect(parseKeyedValue(events, 'oom_kill')).toBe(18446744073709551615n);
    expect(parseKeyedValue(events, 'oom')).toBe(2);
    expect(parseKeyedValue('oom_kill', 'oom_kill')).toBeUndefined();
    expect(parseKeyedValue('', 'oom_kill')).toBeUndefined();
  });

  it('cgroup paths of both drivers, with and without a cgroup parent', () => {
    expect(expandSlice('my-apps.slice')).toBe('/my.slice/my-apps.slice');
    expect(candidatePaths('abc', undefined)).toEqual(['/docker/abc', '/system.slice/docker-abc.scope']);
    expect(candidatePaths('abc', 'my-apps.slice')[0]).toBe('/my.slice/my-apps.slice/docker-abc.scope');
    expect(candidatePaths('abc', '/tenants/a/')[0]).toBe('/tenants/a/abc');
    expect(layoutOf('/system.slice/docker-abc.scope', 'abc')).toBe('systemd');
    expect(layoutOf('/docker/abc', 'abc')).toBe('cgroupfs');
    expect(layoutOf('/user.slice/abc-x', 'abc')).toBe('other');
  });

  it('the sample time is RFC 3339 with nine fraction digits, close to now', () => {
    const text = rfc3339Now();
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    const ms = Number(parseTimestampNs(text) / 1_000_000n);
    expect(Math.abs(ms - Date.now())).toBeLessThan(1_000);
  });
});
