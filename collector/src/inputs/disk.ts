import { readFile, statfs } from 'node:fs/promises';
import type { DockerInfo } from '../derive/engine-info.js';
import { diskPoint, type MountEntry, mountHolding, parseMountInfo } from '../derive/filesystem.js';
import type { Accumulator } from '../model/accumulator.js';
import { nowNs } from '../model/time.js';
import { engineCallReason, isObject } from './engine-call.js';
import type { InputContext } from './context.js';
import type { Input } from './input.js';

/**
 * The data root changes only when dockerd restarts with another --data-root, and mounts
 * rarely: both are read again this often, not every gather (GET /info costs the engine ~10 ms).
 */
const DATA_ROOT_REFRESH_MS = 5 * 60_000;

interface DataRoot {
  /** DockerRootDir, as the host sees it. */
  path: string;
  /** Its filesystem's mount, from the host's mountinfo; undefined when that is unreadable. */
  mount: MountEntry | undefined;
  readAt: number;
}

/**
 * Telegraf's `disk` measurement for the one filesystem that fills up under Docker: the one
 * holding the engine's DockerRootDir, read with statfs at HOST_MOUNT_PREFIX + DockerRootDir.
 */
export class DataRootDiskInput implements Input {
  readonly name = 'disk';
  private root: DataRoot | undefined;
  /** Each of these is logged once, not every gather. */
  private warnedStatfs = false;
  private warnedMounts = false;

  constructor(private readonly context: InputContext) {}

  async gather(acc: Accumulator): Promise<void> {
    const root = await this.dataRoot(acc);
    if (root === undefined) return;
    const { config, engine, logger } = this.context;
    const target = config.host.mountPrefix + root.path;
    let stats;
    try {
      stats = await statfs(target, { bigint: true });
    } catch (error) {
      if (!this.warnedStatfs) {
        this.warnedStatfs = true;
        logger.warn(
          { err: error, path: target, hostMountPrefix: config.host.mountPrefix },
          `disk: cannot statfs the engine's data root at ${target}; mount the host's ${root.path} there ` +
            '(HOST_MOUNT_PREFIX + DockerRootDir, read-only) to get the disk measurement',
        );
      }
      return;
    }
    this.warnedStatfs = false;
    acc.add(diskPoint(stats, { host: engine().host, path: root.path, mount: root.mount }, nowNs()));
  }

  /** DockerRootDir and its mount, read again every DATA_ROOT_REFRESH_MS. */
  private async dataRoot(acc: Accumulator): Promise<DataRoot | undefined> {
    if (this.root !== undefined && Date.now() - this.root.readAt < DATA_ROOT_REFRESH_MS) return this.root;
    let info: unknown;
    try {
      info = await this.context.engineInfo();
    } catch (error) {
      acc.addError({ reason: engineCallReason(error), message: 'GET /info failed', error });
      return this.root;
    }
    const path = isObject(info) ? (info as DockerInfo).DockerRootDir : undefined;
    if (typeof path !== 'string' || !path.startsWith('/')) {
      acc.addError({ reason: 'malformed', message: 'GET /info answered no DockerRootDir' });
      return this.root;
    }
    this.root = { path, mount: await this.mountOf(path), readAt: Date.now() };
    return this.root;
  }

  /**
   * The mount holding `path` in the host's mount namespace: pid 1's mountinfo under HOST_PROC,
   * or, when the collector shares the host's mounts (no HOST_MOUNT_PREFIX), its own.
   */
  private async mountOf(path: string): Promise<MountEntry | undefined> {
    const { host } = this.context.config;
    const candidates = [`${host.proc}/1/mountinfo`];
    if (host.mountPrefix === '') candidates.push(`${host.proc}/self/mountinfo`);
    for (const file of candidates) {
      try {
        return mountHolding(parseMountInfo(await readFile(file, 'utf8')), path);
      } catch {
        // unreadable: try the next one
      }
    }
    if (!this.warnedMounts) {
      this.warnedMounts = true;
      this.context.logger.warn(
        { files: candidates },
        'disk: no readable mountinfo; the data root is written without device, fstype and mode tags',
      );
    }
    return undefined;
  }
}
