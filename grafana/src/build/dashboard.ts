// Assembles a dashboard from variables and a flow of panels: ids, refIds and grid positions
// are assigned here, and each query's proof is set aside for the harness.
import type {
  Dashboard,
  DatasourceRef,
  GridPos,
  Panel,
  PanelType,
  QueryVariable,
  RowPanel,
  Target,
} from '../model/dashboard.js';
import type { Proof } from '../model/proof.js';
import { queryAtResolution, RESOLUTIONS, type ResolutionName } from '../queries/resolution.js';
import {
  DASHBOARD_TAG,
  DATASOURCE,
  EXPRESSION_DATASOURCE_UID,
  GRID_COLUMNS,
  SCHEMA_VERSION,
} from '../settings.js';
import type { LayoutItem, PanelSpec } from './panels.js';
import type { VariableInput } from './variables.js';
import { queryVariable } from './variables.js';

export interface DashboardInput {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: VariableInput[];
  items: LayoutItem[];
  timeFrom?: string;
}

/**
 * A generated dashboard and, keyed by `variable:<name>` or `panel:<id>:<refId>`, what each
 * query must return, and (keyed `panel:<id>:<refId>`) the resolution each panel target reads.
 */
export interface DashboardBuild {
  dashboard: Dashboard;
  proofs: Record<string, Proof>;
  resolutions: Record<string, ResolutionName>;
}

const DATASOURCE_REF: DatasourceRef = { type: DATASOURCE.type, uid: DATASOURCE.uid };

export function refIdFor(index: number): string {
  return String.fromCharCode('A'.charCodeAt(0) + index);
}

/** The refId of the panel's `index`th query (or expression) at the `resolution`th resolution. */
function resolvedRefId(index: number, resolution: number): string {
  return refIdFor(index * RESOLUTIONS.length + resolution);
}

/**
 * Each query of the panel becomes one target per resolution (A, B, C for the first), each
 * guarded so that only the one the range calls for returns series. An expression becomes one
 * per resolution too, over its inputs at that resolution (`$A / $B` at 1m is `$B / $E`).
 */
function targetsOf(
  spec: PanelSpec,
  panelId: number,
  proofs: Record<string, Proof>,
  resolutions: Record<string, ResolutionName>,
): Target[] {
  return spec.targets.flatMap((target, index) =>
    RESOLUTIONS.map((resolution, r): Target => {
      const refId = resolvedRefId(index, r);
      // Unset fields are left out of the JSON (`JSON.stringify` drops `undefined`). Written as
      // fields, not spread in, so that the compiler checks their names against Grafana's types.
      const hide = spec.hidden?.includes(refIdFor(index)) ? true : undefined;
      if ('math' in target) {
        return {
          refId,
          datasource: { type: EXPRESSION_DATASOURCE_UID, uid: EXPRESSION_DATASOURCE_UID },
          type: 'math',
          expression: target.math.replace(/\$([A-Z])\b/g, (_, ref: string) => {
            const input = ref.charCodeAt(0) - 'A'.charCodeAt(0);
            return `$${resolvedRefId(input, r)}`;
          }),
          hide,
        };
      }
      proofs[`panel:${panelId}:${refId}`] = target.proof;
      resolutions[`panel:${panelId}:${refId}`] = resolution.name;
      return {
        refId,
        datasource: DATASOURCE_REF,
        rawQuery: true,
        query: queryAtResolution(target.query, resolution),
        resultFormat: 'time_series',
        alias: target.alias,
        hide,
      };
    }),
  );
}

/** A laid-out panel of the spec's kind: its options and field config stay those of that kind. */
function placePanel<K extends PanelType>(
  spec: PanelSpec<K>,
  id: number,
  gridPos: GridPos,
  targets: Target[],
): Panel<K> {
  return {
    id,
    type: spec.type,
    title: spec.title,
    description: spec.description,
    gridPos,
    datasource: DATASOURCE_REF,
    targets,
    fieldConfig: spec.fieldConfig,
    options: spec.options,
    maxDataPoints: spec.maxDataPoints,
    interval: spec.interval,
    transformations: spec.transformations,
  };
}

export function assembleDashboard(input: DashboardInput): DashboardBuild {
  const proofs: Record<string, Proof> = {};
  const resolutions: Record<string, ResolutionName> = {};
  const variables: QueryVariable[] = input.variables.map((variable) => {
    proofs[`variable:${variable.name}`] = variable.spec.proof;
    return queryVariable(variable);
  });

  const panels: Array<Panel | RowPanel> = [];
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  const newLine = () => {
    y += lineHeight;
    x = 0;
    lineHeight = 0;
  };
  for (const item of input.items) {
    const id = panels.length + 1;
    if (item.type === 'row') {
      newLine();
      panels.push({
        id,
        type: 'row',
        title: item.title,
        gridPos: { x: 0, y, w: GRID_COLUMNS, h: 1 },
        collapsed: false,
        panels: [],
      });
      y += 1;
      continue;
    }
    if (x + item.width > GRID_COLUMNS) newLine();
    panels.push(
      placePanel(item, id, { x, y, w: item.width, h: item.height }, targetsOf(item, id, proofs, resolutions)),
    );
    x += item.width;
    lineHeight = Math.max(lineHeight, item.height);
  }

  return {
    dashboard: {
      uid: input.uid,
      title: input.title,
      description: input.description,
      tags: input.tags,
      timezone: 'browser',
      editable: true,
      graphTooltip: 1,
      schemaVersion: SCHEMA_VERSION,
      version: 1,
      refresh: '30s',
      time: { from: input.timeFrom ?? 'now-1h', to: 'now' },
      templating: { list: variables },
      annotations: { list: [] },
      // Every dockwatch dashboard, as a drop-down that keeps the time range and the variables
      // the two dashboards share ($host, $container).
      links: [
        {
          title: 'dockwatch',
          type: 'dashboards',
          tags: [DASHBOARD_TAG],
          asDropdown: true,
          includeVars: true,
          keepTime: true,
          icon: 'external link',
          targetBlank: false,
          tooltip: '',
        },
      ],
      panels,
    },
    proofs,
    resolutions,
  };
}
