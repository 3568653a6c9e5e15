// The 2.x and 3 Core init jobs (compose/influxdb2/buckets.sh, compose/influxdb3/database.sh),
// run with the system's sh against stand-ins for the `influx` and `influxdb3` CLIs that keep
// buckets, mappings and databases in a JSON file. Neither InfluxDB runs here: the stand-ins
// check the scripts' logic (what they create, map and change, and that a second run changes
// nothing it should not), not the CLIs themselves. The 1.x job runs against a real InfluxDB
// 1.6 in test/compose/stack.int.test.ts.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const compose = path.resolve(import.meta.dirname, '../../compose');
const dirs: string[] = [];

interface CliState {
  buckets: { id: string; name: string; retention: string }[];
  dbrps: { db: string; rp: string; bucketId: string; default: boolean }[];
  databases: { name: string; retention: string }[];
  calls: string[];
}

// One stand-in serves both CLIs: it answers the sub-commands the scripts use, as the real
// ones do (lists print rows; a missing bucket is an error on stderr).
const STAND_IN = `#!/usr/bin/env node
const fs = require('node:fs');
const file = process.env.CLI_STATE;
const state = JSON.parse(fs.readFileSync(file, 'utf8'));
const args = process.argv.slice(2);
state.calls.push(args.join(' '));
const flag = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
const save = () => fs.writeFileSync(file, JSON.stringify(state));
const cmd = args.filter((a, i) => !a.startsWith('-') && !(args[i - 1] || '').startsWith('-')).slice(0, 3).join(' ');
if (cmd.startsWith('bucket list')) {
  const found = state.buckets.filter((b) => b.name === flag('--name'));
  if (found.length === 0) { save(); process.stderr.write('Error: bucket not found\\n'); process.exit(1); }
  for (const b of found) console.log(b.id + '\\t' + b.name + '\\t' + b.retention);
} else if (cmd.startsWith('bucket create')) {
  state.buckets.push({ id: 'b' + state.buckets.length, name: flag('--name'), retention: flag('--retention') });
} else if (cmd.startsWith('bucket update')) {
  state.buckets.find((b) => b.id === flag('--id')).retention = flag('--retention');
} else if (cmd.startsWith('v1 dbrp list')) {
  for (const m of state.dbrps.filter((m) => m.db === flag('--db') && m.rp === flag('--rp'))) console.log(m.db + '\\t' + m.rp);
} else if (cmd.startsWith('v1 dbrp create')) {
  state.dbrps.push({ db: flag('--db'), rp: flag('--rp'), bucketId: flag('--bucket-id'), default: args.includes('--default') });
} else if (cmd.startsWith('show databases')) {
  console.log(JSON.stringify(state.databases.map((d) => ({ 'iox::database': d.name }))));
} else if (cmd.startsWith('create database')) {
  state.databases.push({ name: args[args.length - 1], retention: flag('--retention-period') });
} else { save(); process.stderr.write('stand-in: unknown command ' + args.join(' ') + '\\n'); process.exit(2); }
save();
`;

function workspace(initial: Partial<CliState>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'influxdb-init-'));
  dirs.push(dir);
  for (const cli of ['influx', 'influxdb3']) {
    writeFileSync(path.join(dir, cli), STAND_IN);
    chmodSync(path.join(dir, cli), 0o755);
  }
  const stateFile = path.join(dir, 'state.json');
  writeFileSync(stateFile, JSON.stringify({ buckets: [], dbrps: [], databases: [], calls: [], ...initial }));
  writeFileSync(path.join(dir, 'token'), 'a-token');
  const state = () => JSON.parse(readFileSync(stateFile, 'utf8')) as CliState;
  const runScript = (script: string, env: Record<string, string> = {}) =>
    run('sh', [path.join(compose, script)], {
      env: {
        PATH: `${dir}:${process.env.PATH ?? ''}`,
        CLI_STATE: stateFile,
        INFLUXDB_TOKEN_FILE: path.join(dir, 'token'),
        ...env,
      },
    });
  return { state, runScript };
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('InfluxDB 2.x init job (influxdb2/buckets.sh)', { timeout: 30_000 }, () => {
  const afterSetup = { buckets: [{ id: 'raw', name: 'dockwatch', retention: '30d' }] };

  it('sets the raw retention, creates a bucket per rollup resolution and maps each for InfluxQL', async () => {
    const { state, runScript } = workspace(afterSetup);
    const { stdout } = await runScript('influxdb2/buckets.sh');
    expect(stdout).toContain('dockwatch_rollup_1h kept 730d');
    const { buckets, dbrps } = state();
    expect(buckets.map((b) => [b.name, b.retention])).toEqual([
      ['dockwatch', '7d'],
      ['dockwatch_rollup_1m', '90d'],
      ['dockwatch_rollup_1h', '730d'],
    ]);
    const idOf = (name: string) => buckets.find((b) => b.name === name)?.id;
    // The raw bucket's mapping is explicit and the default, so a query without a retention
    // policy still reads raw points once the database has other mappings.
    expect(dbrps).toEqual([
      { db: 'dockwatch', rp: 'autogen', bucketId: 'raw', default: true },
      { db: 'dockwatch', rp: 'rollup_1m', bucketId: idOf('dockwatch_rollup_1m'), default: false },
      { db: 'dockwatch', rp: 'rollup_1h', bucketId: idOf('dockwatch_rollup_1h'), default: false },
    ]);
  });

  it('on a later start changes retentions and creates nothing twice', async () => {
    const { state, runScript } = workspace(afterSetup);
    await runScript('influxdb2/buckets.sh');
    await runScript('influxdb2/buckets.sh', { INFLUXDB_RETENTION: '14d', ROLLUPS: '1m:30d,1h:730d,5m:1w' });
    const { buckets, dbrps } = state();
    expect(buckets.map((b) => [b.name, b.retention])).toEqual([
      ['dockwatch', '14d'],
      ['dockwatch_rollup_1m', '30d'],
      ['dockwatch_rollup_1h', '730d'],
      ['dockwatch_rollup_5m', '1w'],
    ]);
    expect(dbrps.map((m) => m.rp)).toEqual(['autogen', 'rollup_1m', 'rollup_1h', 'rollup_5m']);
  });

  it('with ROLLUPS=off keeps only the raw bucket, and refuses a bad entry before any change', async () => {
    const off = workspace(afterSetup);
    await off.runScript('influxdb2/buckets.sh', { ROLLUPS: 'off' });
    expect(off.state().buckets.map((b) => b.name)).toEqual(['dockwatch']);

    const bad = workspace(afterSetup);
    const failure = await bad
      .runScript('influxdb2/buckets.sh', { ROLLUPS: '1m:90days' })
      .catch((e: unknown) => e);
    expect(String((failure as { stderr?: string }).stderr)).toContain("ROLLUPS entry '1m:90days'");
    expect(bad.state().calls).toEqual([]);
  });

  it('fails, saying why, when setup has not created the raw bucket', async () => {
    const { runScript } = workspace({});
    const failure = await runScript('influxdb2/buckets.sh').catch((e: unknown) => e);
    expect(String((failure as { stderr?: string }).stderr)).toContain('bucket dockwatch not found');
  });
});

describe('InfluxDB 3 Core init job (influxdb3/database.sh)', { timeout: 30_000 }, () => {
  it('creates the raw database and a db/rp database per resolution once, each with its retention', async () => {
    const { state, runScript } = workspace({});
    await runScript('influxdb3/database.sh');
    const { databases } = state();
    expect(databases).toEqual([
      { name: 'dockwatch', retention: '7d' },
      { name: 'dockwatch/rollup_1m', retention: '90d' },
      { name: 'dockwatch/rollup_1h', retention: '730d' },
    ]);
    await runScript('influxdb3/database.sh');
    expect(state().databases).toHaveLength(3);
  });
});
