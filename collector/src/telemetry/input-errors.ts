import type { Accumulator, InputError } from '../model/accumulator.js';
import type { PointConsumer } from '../model/point-sink.js';
import type { Logger } from './logger.js';
import type { SelfMetrics } from './self-metrics.js';

/**
 * The one place input errors are counted and logged, with the input's name and the reason.
 * Each input gathers into an accumulator from here, bound to its name.
 */
export class InputErrors {
  constructor(
    private readonly metrics: SelfMetrics,
    private readonly logger: Logger,
  ) {}

  report(input: string, error: InputError): void {
    this.metrics.countInputError(input, error.reason);
    const { level = 'warn', reason, message, container } = error;
    this.logger[level]({ input, reason, container, err: error.error, ...error.detail }, message);
  }

  /** The accumulator `input` gathers into: points go to `points`, errors here. */
  accumulator(input: string, points: PointConsumer): Accumulator {
    return {
      add: (point) => points.add(point),
      addError: (error) => this.report(input, error),
    };
  }
}
