import type { Point } from './point.js';

/** Where gathered points go: a sink, or memory. */
export interface PointConsumer {
  add(point: Point): void;
}

/** Where the daemon's points go: a consumer that can also flush and close (the InfluxDB sink). */
export interface PointSink extends PointConsumer {
  flush(): Promise<void>;
  close(): Promise<void>;
}
