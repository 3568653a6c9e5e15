import { clockNs } from '../cgroup/clock.js';
import { HostFiles, type OpenFiles } from '../cgroup/host-files.js';
import type { ProcStatSample } from '../derive/host-cpu.js';
import { deriveHostPoints, type ProcTexts } from '../derive/host-points.js';
import type { ProcFile } from '../derive/host-proc.js';
import type { Accumulator } from '../model/accumulator.js';
import { MEASUREMENT } from '../schema/names.js';
import type { InputContext } from './context.js';
import type { Input } from './input.js';

/** The host input's name: its errors are collector_input_errors_total{input="host"}. */
export const HOST_INPUT = 'host';

const FILES: readonly ProcFile[] = ['stat', 'meminfo', 'loadavg', 'uptime'];

/** Which measurements each file feeds, for the warning about a file that cannot be read. */
const FEEDS: Readonly<Record<ProcFile, readonly string[]>> = {
  stat: [MEASUREMENT.hostCpu, MEASUREMENT.hostSystem],
  meminfo: [MEASUREMENT.hostMem],
  loadavg: [MEASUREMENT.hostSystem],
  uptime: [MEASUREMENT.hostSystem],
};

/**
 * Telegraf's host inputs `cpu`, `mem` and `system`, from four small files of the host's /proc
 * (HOST_PROC), read every gather through fds kept open (see HostFiles). A file that is
 * missing or unreadable is logged once and its measurements are skipped for as long as it
 * stays so: running in a container without the host's /proc mounted is a choice, not an error.
 */
export class HostInput implements Input {
  readonly name = HOST_INPUT;
  private readonly files = new HostFiles(64);
  private readonly open: OpenFiles = new Map();
  private previousStat: ProcStatSample | undefined;
  private readonly warned = new Set<ProcFile>();

  constructor(private readonly context: InputContext) {}

  gather(acc: Accumulator): Promise<void> {
    const texts = this.read();
    const gathered = deriveHostPoints(this.previousStat, texts, {
      host: this.context.engine().host,
      time: clockNs(),
      perDevice: this.context.config.perDevice,
    });
    for (const point of gathered.points) acc.add(point);
    for (const problem of gathered.problems) {
      acc.addError({
        reason: problem.reason,
        message: problem.message,
        detail: { file: `${this.context.config.host.proc}/${problem.file}` },
        // A CPU's counters going backwards is the kernel's doing (hotplug, iowait on NO_HZ).
        level: problem.reason === 'counter_decreased' ? 'debug' : 'warn',
      });
    }
    // Without a readable stat this gather, the next cpu point waits for two reads in a row.
    this.previousStat = gathered.stat;
    return Promise.resolve();
  }

  close(): void {
    this.files.closeAll(this.open);
  }

  /** The files' texts; those that cannot be read are left out, and warned about once. */
  private read(): ProcTexts {
    const proc = this.context.config.host.proc;
    const texts: ProcTexts = {};
    const unreadable: Partial<Record<ProcFile, string>> = {};
    for (const file of FILES) {
      try {
        const text = this.files.read(`${proc}/${file}`, this.open);
        if (text === undefined) unreadable[file] = 'missing';
        else texts[file] = text;
      } catch (error) {
        unreadable[file] = (error as { code?: string }).code ?? String(error);
      }
    }
    const fresh = FILES.filter((file) => unreadable[file] !== undefined && !this.warned.has(file));
    if (fresh.length > 0) {
      for (const file of fresh) this.warned.add(file);
      const skipped = [...new Set(fresh.flatMap((file) => FEEDS[file]))].sort();
      this.context.logger.warn(
        { hostProc: proc, unreadable, skipped },
        `HOST_PROC=${proc}: cannot read ${fresh.join(', ')}; host measurements ${skipped.join(', ')} are skipped until they can be read`,
      );
    }
    return texts;
  }
}
