// Proves the committed dashboards and alert rules against a real InfluxDB: every variable,
// panel target and alert query is expanded the way Grafana does (variables, then macros),
// sent the way Grafana sends it, and its answer checked against what the query promises.
// Point it at any database: synthetic data here, the real collector's data in the lead's test,
// the deployed Swarm stack's (its dashboard and alert group only, by `only`) in the stack suite.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  ALERT_MAX_DATA_POINTS,
  ALERTING_FILE,
  type AlertGroup,
  alertingProvisioning,
  type ContainerSet,
  DASHBOARD_WIDTH_PX,
  DATASOURCE,
  type Dashboard,
  type DashboardKey,
  type HostSet,
  type SwarmSet,
  DEFAULT_COLLECT_INTERVAL,
  dashboardBuilds,
  dashboardFile,
  expandQuery,
  GRID_COLUMNS,
  type InfluxQLTarget,
  type InfluxSeries,
  type Panel,
  type Proof,
  parseInterval,
  type QueryTarget,
  type ResolutionName,
  resolutionFor,
  runInfluxQL,
  type VariableState,
} from '@dockwatch/grafana';

const grafanaDir = path.resolve(import.meta.dirname, '../../grafana');

/** Containers the data must show, by role. Unset or empty roles only require the query to run. */
export interface ContainerExpectations {
  /** Every container that must appear in the per-container panels. */
  all: string[];
  cpuLimited?: string[];
  pidsLimited?: string[];
  healthchecked?: string[];
  restarted?: string[];
  /** Containers that died OOM-killed (status point with oomkilled=true). */
  oomKilled?: string[];
  /** Containers whose oom_kills counter rose in the range (a process killed inside, the container running on). */
  oomKillCounted?: string[];
  unhealthy?: string[];
  /** Containers exposing the kvstore's metrics. */
  kvstore?: string[];
  /** Containers on the host's network: they have no docker_container_net points. */
  hostNetwork?: string[];
  /** Containers with docker_disk_usage points in the range. */
  diskUsage?: string[];
  /** Containers whose writable layer is above the alert's threshold. */
  largeWritableLayer?: string[];
  /** Engine hosts and their host measurements; unset: the host queries must only run. */
  hosts?: HostExpectations;
  /** The swarm the data holds; unset: the swarm queries must only run. */
  swarm?: SwarmExpectations;
}

/** What a swarm's leader and task containers must show, by set (see SwarmSet). */
export type SwarmExpectations = Partial<Record<SwarmSet, string[]>>;

/** Hosts by role (their engine_host, which is also the `host` tag of the host measurements). */
export interface HostExpectations {
  /** Hosts that write cpu, mem, system, disk, docker and docker_disk_usage. */
  all: string[];
  diskFilling?: string[];
  diskAlmostFull?: string[];
  withVolumes?: string[];
}

export interface HarnessOptions extends QueryTarget {
  containers: ContainerExpectations;
  /** Dashboard time range, epoch ms; alert windows end at `timeRange.toMs`. */
  timeRange: { fromMs: number; toMs: number };
  /** The datasource's timeInterval (the collector's interval). */
  timeInterval?: string;
  /** Require the collector's own metrics (default true). */
  collector?: boolean;
  /** Only these dashboards and the alert rules of these groups (default: every one of both). */
  only?: { dashboards: DashboardKey[]; alertGroups: AlertGroup[] };
  /** InfluxDB's now(), which the resolution guards compare the range with (default: the clock). */
  nowMs?: number;
  /** Run the alert queries too (default true); they read raw points ending at `timeRange.toMs`. */
  alerts?: boolean;
}

export interface CheckResult {
  /** e.g. `containers/CPU/A (All)` or `alert/dockwatch-cpu-of-limit/A`. */
  name: string;
  /** A panel target's resolution, and whether the range chose it (the others must return nothing). */
  resolution?: ResolutionName;
  chosen?: boolean;
  query: string;
  series: number;
  points: number;
  problem?: string;
}

export interface HarnessReport {
  checks: CheckResult[];
  failures: CheckResult[];
}

function hostMembers(set: HostSet, expected: ContainerExpectations): string[] {
  const hosts = expected.hosts;
  if (!hosts) return [];
  return set === 'all' ? hosts.all : (hosts[set] ?? []);
}

function swarmMembers(set: SwarmSet, expected: ContainerExpectations): string[] {
  return expected.swarm?.[set] ?? [];
}

function setMembers(set: ContainerSet, expected: ContainerExpectations): string[] {
  if (set === 'oomAny')
    return [...new Set([...(expected.oomKilled ?? []), ...(expected.oomKillCounted ?? [])])];
  if (set === 'networked') {
    const hostNetwork = new Set(expected.hostNetwork ?? []);
    return expected.all.filter((name) => !hostNetwork.has(name));
  }
  if (set === 'cpuUnlimited') {
    const limited = new Set(expected.cpuLimited ?? []);
    return expected.all.filter((name) => !limited.has(name));
  }
  return expected[set] ?? [];
}

function numbersIn(series: InfluxSeries[]): number {
  let count = 0;
  for (const s of series)
    for (const row of s.values) for (const cell of row.slice(1)) if (cell !== null) count += 1;
  return count;
}

function namesWithData(series: InfluxSeries[]): Set<string> {
  const names = new Set<string>();
  for (const s of series) {
    const name = s.tags?.container_name;
    if (name && s.values.some((row) => row.slice(1).some((cell) => cell !== null))) names.add(name);
  }
  return names;
}

interface CheckContext {
  expected: ContainerExpectations;
  /** Restricts container sets to the containers a scenario selects (container detail). */
  only?: Set<string>;
  collector: boolean;
}

/** Why the answer breaks the proof, or undefined when it keeps it. */
export function checkProof(proof: Proof, series: InfluxSeries[], context: CheckContext): string | undefined {
  const restrict = (names: string[]) => (context.only ? names.filter((n) => context.only?.has(n)) : names);
  switch (proof.kind) {
    case 'containers': {
      if (proof.onlyWithHosts && !context.expected.hosts) return undefined;
      const wanted = restrict(setMembers(proof.set, context.expected));
      if (wanted.length === 0) return undefined;
      const present = namesWithData(series);
      const missing = wanted.filter((name) => !present.has(name));
      return missing.length > 0 ? `no data for container(s) ${missing.join(', ')} (${proof.set})` : undefined;
    }
    case 'values':
      if (proof.whenAny && restrict(setMembers(proof.whenAny, context.expected)).length === 0)
        return undefined;
      return numbersIn(series) > 0 ? undefined : 'no values';
    case 'runs':
      return undefined;
    case 'metric': {
      if (proof.source === 'kvstore' && (context.expected.kvstore ?? []).length === 0) return undefined;
      if (proof.source === 'collector' && !context.collector) return undefined;
      if (numbersIn(series) === 0) return `no ${proof.source} values`;
      if (proof.groupTag) {
        const untagged = series.filter((s) => s.tags?.[proof.groupTag ?? ''] === undefined);
        if (untagged.length > 0) return `series without tag ${proof.groupTag}`;
      }
      if (proof.source === 'kvstore' && proof.groupTag === 'container_name') {
        const present = namesWithData(series);
        const missing = (context.expected.kvstore ?? []).filter((name) => !present.has(name));
        if (missing.length > 0) return `no data for kvstore container(s) ${missing.join(', ')}`;
      }
      return undefined;
    }
    case 'variable-containers': {
      const options = new Set(series.flatMap((s) => s.values.map((row) => String(row[1]))));
      const missing = restrict(setMembers(proof.set, context.expected)).filter((name) => !options.has(name));
      return missing.length > 0 ? `variable lacks ${missing.join(', ')}` : undefined;
    }
    case 'variable-hosts':
      return series.some((s) => s.values.length > 0) ? undefined : 'no hosts';
    case 'variable-engine-hosts': {
      const options = new Set(series.flatMap((s) => s.values.map((row) => String(row[1]))));
      const missing = hostMembers(proof.set, context.expected).filter((name) => !options.has(name));
      return missing.length > 0 ? `variable lacks host(s) ${missing.join(', ')}` : undefined;
    }
    case 'hosts': {
      const wanted = hostMembers(proof.set, context.expected);
      if (wanted.length === 0) return undefined;
      const present = new Set<string>();
      for (const s of series) {
        const value = s.tags?.[proof.tag];
        if (value && s.values.some((row) => row.slice(1).some((cell) => cell !== null))) present.add(value);
      }
      const missing = wanted.filter((name) => !present.has(name));
      return missing.length > 0 ? `no data for host(s) ${missing.join(', ')} (${proof.set})` : undefined;
    }
    case 'swarm': {
      const wanted = swarmMembers(proof.set, context.expected);
      if (wanted.length === 0) return undefined;
      // An unlabelled count: one number is enough.
      if (proof.tag === '') return numbersIn(series) > 0 ? undefined : `no values (${proof.set})`;
      const present = new Set<string>();
      for (const s of series) {
        const value = s.tags?.[proof.tag];
        if (value && s.values.some((row) => row.slice(1).some((cell) => cell !== null))) present.add(value);
      }
      const missing = wanted.filter((name) => !present.has(name));
      return missing.length > 0 ? `no data for ${proof.tag} ${missing.join(', ')} (${proof.set})` : undefined;
    }
    case 'variable-swarm': {
      const options = new Set(series.flatMap((s) => s.values.map((row) => String(row[1]))));
      const missing = swarmMembers(proof.set, context.expected).filter((name) => !options.has(name));
      return missing.length > 0 ? `variable lacks ${missing.join(', ')} (${proof.set})` : undefined;
    }
  }
}

function loadDashboard(key: DashboardKey): Dashboard {
  const uid = dashboardBuilds()[key].dashboard.uid;
  return JSON.parse(readFileSync(path.join(grafanaDir, dashboardFile(uid)), 'utf8')) as Dashboard;
}

function pointsOf(series: InfluxSeries[]): number {
  return series.reduce((sum, s) => sum + s.values.length, 0);
}

/** Grafana sends a panel's width in pixels as maxDataPoints. */
export function panelMaxDataPoints(panel: Panel): number {
  return panel.maxDataPoints ?? Math.round((panel.gridPos.w / GRID_COLUMNS) * DASHBOARD_WIDTH_PX);
}

interface Scenario {
  label: string;
  selection: Record<string, 'All' | 'every option' | string[]>;
  only?: Set<string>;
}

async function runDashboard(
  key: DashboardKey,
  options: HarnessOptions,
  scenarios: (variableOptions: Map<string, string[]>) => Promise<Scenario[]>,
  results: CheckResult[],
): Promise<void> {
  const dashboard = loadDashboard(key);
  const { proofs, resolutions } = dashboardBuilds()[key];
  const minIntervalMs = parseInterval(options.timeInterval ?? DEFAULT_COLLECT_INTERVAL);
  const context = { expected: options.containers, collector: options.collector ?? true };
  const { fromMs, toMs } = options.timeRange;

  // Variables resolve in order, each with the earlier ones set to All, as on dashboard load.
  const resolved: VariableState[] = [];
  const perScenario = dashboard.templating.list.some((variable) => !variable.includeAll);
  const variableOptions = new Map<string, string[]>();
  for (const variable of dashboard.templating.list) {
    const { query } = expandQuery(variable.query, {
      variables: resolved,
      fromMs,
      toMs,
      maxDataPoints: 0,
      minIntervalMs,
    });
    const name = `${key}/$${variable.name}`;
    try {
      const series = await runInfluxQL(options, query);
      const values = series.flatMap((s) => s.values.map((row) => String(row[1])));
      variableOptions.set(variable.name, values);
      // With single-value variables the options depend on the earlier choice: checked per scenario below.
      if (!perScenario) {
        const proof = proofs[`variable:${variable.name}`];
        const problem = proof ? checkProof(proof, series, context) : 'no proof for this variable';
        results.push({
          name,
          query,
          series: series.length,
          points: values.length,
          ...(problem ? { problem } : {}),
        });
      }
      resolved.push({
        name: variable.name,
        multi: variable.multi,
        includeAll: variable.includeAll,
        ...(variable.allValue !== undefined ? { allValue: variable.allValue } : {}),
        options: values,
        selected: variable.includeAll ? 'All' : values.slice(0, 1),
      });
    } catch (error) {
      results.push({ name, query, series: 0, points: 0, problem: (error as Error).message });
      return;
    }
  }

  for (const scenario of await scenarios(variableOptions)) {
    const variables = resolved.map((state): VariableState => {
      const choice = scenario.selection[state.name];
      if (choice === undefined || choice === 'All') return { ...state, selected: 'All' };
      if (choice === 'every option') return { ...state, selected: state.options };
      return { ...state, selected: choice };
    });
    if (perScenario) {
      for (const variable of dashboard.templating.list) {
        const { query } = expandQuery(variable.query, {
          variables,
          fromMs,
          toMs,
          maxDataPoints: 0,
          minIntervalMs,
        });
        const name = `${key}/$${variable.name} (${scenario.label})`;
        try {
          const series = await runInfluxQL(options, query);
          const proof = proofs[`variable:${variable.name}`];
          const only = scenario.only ? { only: scenario.only } : {};
          const problem = proof
            ? checkProof(proof, series, { ...context, ...only })
            : 'no proof for this variable';
          results.push({
            name,
            query,
            series: series.length,
            points: pointsOf(series),
            ...(problem ? { problem } : {}),
          });
        } catch (error) {
          results.push({ name, query, series: 0, points: 0, problem: (error as Error).message });
        }
      }
    }
    for (const panel of dashboard.panels) {
      if (panel.type === 'row') continue;
      for (const target of panel.targets) {
        if (!('query' in target)) continue;
        await runTarget(
          panel,
          target,
          scenario,
          variables,
          proofs,
          resolutions,
          options,
          minIntervalMs,
          context,
          key,
          results,
        );
      }
    }
  }
}

async function runTarget(
  panel: Panel,
  target: InfluxQLTarget,
  scenario: Scenario,
  variables: VariableState[],
  proofs: Record<string, Proof>,
  resolutions: Record<string, ResolutionName>,
  options: HarnessOptions,
  minIntervalMs: number,
  context: CheckContext,
  key: DashboardKey,
  results: CheckResult[],
): Promise<void> {
  const { fromMs, toMs } = options.timeRange;
  const name = `${key}/${panel.title}/${target.refId} (${scenario.label})`;
  const resolution = resolutions[`panel:${panel.id}:${target.refId}`];
  const chosen = resolutionFor(fromMs, toMs, options.nowMs ?? Date.now()).name;
  const expanded = expandQuery(target.query, {
    variables,
    fromMs,
    toMs,
    maxDataPoints: panelMaxDataPoints(panel),
    minIntervalMs: panel.interval ? parseInterval(panel.interval) : minIntervalMs,
  });
  try {
    if (target.datasource.uid !== DATASOURCE.uid)
      throw new Error(`target uses datasource ${target.datasource.uid}`);
    const series = await runInfluxQL(options, expanded.query);
    const proof = proofs[`panel:${panel.id}:${target.refId}`];
    let problem: string | undefined;
    if (resolution === undefined) problem = 'no resolution for this target';
    else if (resolution !== chosen) {
      // Its guard is false for this range: it must not add series to the panel.
      if (series.length > 0) problem = `returned ${series.length} series, but the range reads ${chosen}`;
    } else
      problem = proof
        ? checkProof(proof, series, { ...context, ...(scenario.only ? { only: scenario.only } : {}) })
        : 'no proof for this target';
    // Grouped by $__interval, a series holds at most one point per interval of the range.
    const maxPoints = Math.floor((toMs - fromMs) / expanded.intervalMs) + 2;
    const longest = Math.max(0, ...series.map((s) => s.values.length));
    if (!problem && longest > maxPoints) problem = `${longest} points in one series, more than ${maxPoints}`;
    results.push({
      name,
      query: expanded.query,
      series: series.length,
      points: pointsOf(series),
      ...(resolution ? { resolution, chosen: resolution === chosen } : {}),
      ...(problem ? { problem } : {}),
    });
  } catch (error) {
    results.push({ name, query: expanded.query, series: 0, points: 0, problem: (error as Error).message });
  }
}

interface AlertDocument {
  groups: Array<{
    name: string;
    rules: Array<{
      uid: string;
      data: Array<{
        refId: string;
        datasourceUid: string;
        relativeTimeRange?: { from: number; to: number };
        model: { query?: string; maxDataPoints?: number };
      }>;
    }>;
  }>;
}

async function runAlerts(options: HarnessOptions, results: CheckResult[]): Promise<void> {
  const document = parse(readFileSync(path.join(grafanaDir, ALERTING_FILE), 'utf8')) as AlertDocument;
  const { proofs } = alertingProvisioning();
  const minIntervalMs = parseInterval(options.timeInterval ?? DEFAULT_COLLECT_INTERVAL);
  const now = options.timeRange.toMs;
  const groups = document.groups.filter(
    (group) => !options.only || options.only.alertGroups.includes(group.name as AlertGroup),
  );
  for (const rule of groups.flatMap((group) => group.rules)) {
    for (const data of rule.data) {
      if (data.datasourceUid !== DATASOURCE.uid || data.model.query === undefined) continue;
      const range = data.relativeTimeRange ?? { from: 600, to: 0 };
      const fromMs = now - range.from * 1000;
      const toMs = now - range.to * 1000;
      // Alert queries get macros only: no dashboard variables exist in alerting.
      const expanded = expandQuery(data.model.query, {
        variables: [],
        fromMs,
        toMs,
        maxDataPoints: data.model.maxDataPoints ?? ALERT_MAX_DATA_POINTS,
        minIntervalMs,
      });
      const name = `alert/${rule.uid}/${data.refId}`;
      try {
        const series = await runInfluxQL(options, expanded.query);
        const proof = proofs[`alert:${rule.uid}:${data.refId}`];
        let problem = proof
          ? checkProof(proof, series, { expected: options.containers, collector: options.collector ?? true })
          : 'no proof for this alert query';
        if (!problem && numbersIn(series) === 0 && !isOptional(proof, options)) problem = 'no values';
        results.push({
          name,
          query: expanded.query,
          series: series.length,
          points: pointsOf(series),
          ...(problem ? { problem } : {}),
        });
      } catch (error) {
        results.push({
          name,
          query: expanded.query,
          series: 0,
          points: 0,
          problem: (error as Error).message,
        });
      }
    }
  }
}

/** A proof over an empty container set asks only that the query runs. */
function isOptional(proof: Proof | undefined, options: HarnessOptions): boolean {
  if (!proof) return false;
  if (proof.kind === 'runs') return true;
  if (proof.kind === 'containers') return setMembers(proof.set, options.containers).length === 0;
  if (proof.kind === 'hosts') return hostMembers(proof.set, options.containers).length === 0;
  if (proof.kind === 'swarm') return swarmMembers(proof.set, options.containers).length === 0;
  if (proof.kind === 'metric' && proof.source === 'kvstore')
    return (options.containers.kvstore ?? []).length === 0;
  if (proof.kind === 'metric' && proof.source === 'collector') return !(options.collector ?? true);
  return false;
}

async function hostOf(options: HarnessOptions, container: string): Promise<string | undefined> {
  const series = await runInfluxQL(
    options,
    `SHOW TAG VALUES FROM "docker_container_cpu" WITH KEY = "engine_host" WHERE "container_name" = '${container.replaceAll("'", "\\'")}'`,
  );
  const first = series[0]?.values[0]?.[1];
  return first === undefined || first === null ? undefined : String(first);
}

/** Runs every check and returns them all; failures are listed, not thrown. */
export async function checkDashboards(options: HarnessOptions): Promise<HarnessReport> {
  const results: CheckResult[] = [];
  const all = options.containers.all;
  const everyOption = async (): Promise<Scenario[]> => [
    { label: 'All', selection: {} },
    {
      label: 'every option listed',
      selection: {
        host: 'every option',
        container: 'every option',
        instance: 'every option',
        service: 'every option',
        stack: 'every option',
      },
    },
  ];
  const wanted = (key: DashboardKey) => !options.only || options.only.dashboards.includes(key);
  if (wanted('containers')) await runDashboard('containers', options, everyOption, results);
  if (wanted('containerDetail'))
    await runDashboard(
      'containerDetail',
      options,
      async () => {
        const scenarios: Scenario[] = [];
        for (const container of all) {
          const host = await hostOf(options, container);
          scenarios.push({
            label: container,
            selection: { host: host ? [host] : [], container: [container] },
            only: new Set([container]),
          });
        }
        return scenarios;
      },
      results,
    );
  for (const key of ['kvstore', 'collector', 'host', 'swarm'] as const)
    if (wanted(key)) await runDashboard(key, options, everyOption, results);
  if (options.alerts ?? true) await runAlerts(options, results);
  return { checks: results, failures: results.filter((r) => r.problem !== undefined) };
}

/** Throws one error listing every target that returned no (or the wrong) data. */
export async function assertDashboardsReturnData(options: HarnessOptions): Promise<HarnessReport> {
  const report = await checkDashboards(options);
  if (report.failures.length > 0) {
    const lines = report.failures.map((f) => `- ${f.name}: ${f.problem}\n    ${f.query}`);
    throw new Error(
      `${report.failures.length} of ${report.checks.length} dashboard checks failed:\n${lines.join('\n')}`,
    );
  }
  return report;
}
