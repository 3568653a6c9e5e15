declare module 'parse-prometheus-text-format' {
  import type { MetricFamily } from './prometheus-points.js';
  export default function parsePrometheusTextFormat(text: string): MetricFamily[];
}
