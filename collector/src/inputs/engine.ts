import { type DockerInfo, enginePoint } from '../derive/engine-info.js';
import type { Accumulator } from '../model/accumulator.js';
import { nowNs } from '../model/time.js';
import { engineCallReason, isObject } from './engine-call.js';
import type { InputContext } from './context.js';
import type { Input } from './input.js';

/** Telegraf's `docker` measurement: the engine's container, image, CPU and fd counts, from GET /info. */
export class EngineInput implements Input {
  readonly name = 'engine';

  constructor(private readonly context: InputContext) {}

  async gather(acc: Accumulator): Promise<void> {
    const { engineInfo, engine } = this.context;
    let info: unknown;
    try {
      info = await engineInfo();
    } catch (error) {
      acc.addError({ reason: engineCallReason(error), message: 'GET /info failed', error });
      return;
    }
    const point = isObject(info) ? enginePoint(info as DockerInfo, engine(), nowNs()) : undefined;
    if (point === undefined) {
      acc.addError({ reason: 'malformed', message: 'GET /info answered no engine counts' });
      return;
    }
    acc.add(point);
  }
}
