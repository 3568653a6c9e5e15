import { describe, expect, it } from 'vitest';
import { ContainerFilter, parseEngineEvent, V1WriteTransport } from '@dockwatch/collector';
import type { Transport } from '@influxdata/influxdb-client';

const none = { nameInclude: [], nameExclude: [], labelInclude: [], labelExclude: [] };

describe('container filter', () => {
  it('follows every container by default', () => {
    expect(new ContainerFilter(none).matches('anything', {})).toBe(true);
  });

  it('includes and excludes by name glob, exclusion winning', () => {
    const filter = new ContainerFilter({
      ...none,
      nameInclude: ['web-*', 'db'],
      nameExclude: ['web-canary*'],
    });
    expect(filter.matches('web-1', {})).toBe(true);
    expect(filter.matches('db', {})).toBe(true);
    expect(filter.matches('dbx', {})).toBe(false);
    expect(filter.matches('web-canary-2', {})).toBe(false);
  });

  it('includes and excludes by label presence or label value glob', () => {
    const filter = new ContainerFilter({
      ...none,
      labelInclude: ['monitor', 'com.docker.compose.project=shop*'],
      labelExclude: ['tier=debug'],
    });
    expect(filter.matches('a', { monitor: '' })).toBe(true);
    expect(filter.matches('b', { 'com.docker.compose.project': 'shop-eu' })).toBe(true);
    expect(filter.matches('c', { 'com.docker.compose.project': 'blog' })).toBe(false);
    expect(filter.matches('d', { monitor: 'yes', tier: 'debug' })).toBe(false);
  });
});

describe('engine events', () => {
  it('parses container events, including health_status with its state in the action', () => {
    expect(
      parseEngineEvent(
        '{"Type":"container","Action":"health_status: unhealthy","Actor":{"ID":"abc"},"time":17}',
      ),
    ).toEqual({ action: 'health_status', id: 'abc', time: 17 });
    expect(parseEngineEvent('{"Type":"container","Action":"rename","id":"def","time":18}')).toEqual({
      action: 'rename',
      id: 'def',
      time: 18,
    });
  });

  it('ignores other event types and garbage', () => {
    expect(parseEngineEvent('{"Type":"network","Action":"connect","Actor":{"ID":"n"}}')).toBeUndefined();
    expect(parseEngineEvent('not json')).toBeUndefined();
  });
});

describe('v1 write transport', () => {
  const sent: string[] = [];
  const inner = {
    send: (path: string) => sent.push(path),
    request: async (path: string) => path,
    iterate: () => {
      throw new Error('unused');
    },
    chunkCombiner: undefined,
  } as unknown as Transport;

  it('maps /api/v2/write to /write with db, rp and the v1 precision', () => {
    const transport = new V1WriteTransport(inner, { db: 'tele graf', rp: 'one_week' });
    transport.send('/api/v2/write?org=&bucket=tele%20graf&precision=ns', 'm f=1', { method: 'POST' });
    expect(sent.at(-1)).toBe('/write?db=tele+graf&rp=one_week&precision=n');
  });

  it('leaves out rp when none is set, and passes other paths through', async () => {
    const transport = new V1WriteTransport(inner, { db: 'd', rp: undefined });
    transport.send('/api/v2/write?org=&bucket=d&precision=s', '', { method: 'POST' });
    expect(sent.at(-1)).toBe('/write?db=d&precision=s');
    expect(await transport.request('/query?q=x', '', { method: 'POST' })).toBe('/query?q=x');
  });
});
