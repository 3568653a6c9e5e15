// The HTTP call Grafana's server makes for an InfluxQL query, and its answer as series: the
// collector package's InfluxQL client, under the names the harness and benchmarks use.
export {
  buildQueryRequest,
  type InfluxSeries,
  type InfluxTargetDb as QueryTarget,
  type QueryRequest,
  runInfluxQL,
} from '@dockwatch/collector';
