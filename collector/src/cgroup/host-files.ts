import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

/** Errors that mean "this file or process is not there (any more)": a gap, not a failure. */
const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ESRCH', 'ENODEV']);

export function isAbsentError(error: unknown): boolean {
  return ABSENT.has((error as { code?: string }).code ?? '');
}

/** A first read shorter than this (and than asked for) is the whole file; see readFd. */
const SHORT_READ_IS_END = 2048;

/** Open kernel files of one container, by path, kept between gathers. */
export type OpenFiles = Map<string, number>;

/**
 * What the fd cache may hold: the soft RLIMIT_NOFILE (Node raises it to the hard limit at
 * start) minus a quarter of it, at least 256, left for sockets and everything else. 1,000
 * containers keep ~12,000 files open; a cache that cannot hold them all opens and closes
 * the rest every gather, which costs more than the reads themselves.
 */
function fdBudget(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'latin1');
    const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1]);
    if (Number.isFinite(soft) && soft > 0) return Math.max(0, soft - Math.max(256, Math.floor(soft / 4)));
  } catch {
    // not Linux, or no /proc: use the fallback
  }
  return 512;
}

/**
 * Reads the small kernel files of /proc and the cgroup tree. Synchronous on purpose: these
 * reads never block on a disk, and a read with a reused buffer costs a few microseconds, where
 * a promise-based read costs a thread-pool round trip (1,000 containers x 12 files a second).
 * Files read every gather stay open, and are read again from offset 0 (the kernel regenerates
 * them): that saves the path lookup, which is most of the cost, as long as the fd budget
 * (see fdBudget) allows; beyond it files are opened and closed each time.
 */
export class HostFiles {
  private buffer = Buffer.allocUnsafe(16 * 1024);
  private readonly budget: number;
  private open = 0;

  constructor(budget = fdBudget()) {
    this.budget = budget;
  }

  /** Open fds the cache holds now. */
  get openFiles(): number {
    return this.open;
  }

  /**
   * The file's text, or undefined when it (or its process) does not exist. Other errors throw.
   * With `keep`, the file stays open in it for the next read.
   */
  read(path: string, keep?: OpenFiles): string | undefined {
    const kept = keep?.get(path);
    if (kept !== undefined) {
      try {
        return this.readFd(kept);
      } catch (error) {
        keep?.delete(path);
        this.close(kept);
        if (isAbsentError(error)) return undefined;
        throw error;
      }
    }
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      if (isAbsentError(error)) return undefined;
      throw error;
    }
    const keepIt = keep !== undefined && this.open < this.budget;
    if (keepIt) {
      keep.set(path, fd);
      this.open++;
    }
    try {
      return this.readFd(fd);
    } catch (error) {
      if (keepIt) {
        keep.delete(path);
        this.open--;
      }
      if (isAbsentError(error)) return undefined;
      throw error;
    } finally {
      if (!keepIt) closeSync(fd);
    }
  }

  /** Closes every file kept in `files`. */
  closeAll(files: OpenFiles): void {
    for (const fd of files.values()) this.close(fd);
    files.clear();
  }

  isDirectory(path: string): boolean {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  }

  private close(fd: number): void {
    this.open--;
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }

  /**
   * The whole file from offset 0. The kernel fills a read with whole lines up to its page
   * buffer, so a short read well under a page is the end of these line-sized files; that
   * saves the second, empty read. Longer texts are read until a read returns nothing.
   */
  private readFd(fd: number): string {
    let length = 0;
    for (;;) {
      if (length === this.buffer.length) {
        const bigger = Buffer.allocUnsafe(this.buffer.length * 2);
        this.buffer.copy(bigger);
        this.buffer = bigger;
      }
      const wanted = this.buffer.length - length;
      const n = readSync(fd, this.buffer, length, wanted, length);
      if (n === 0) break;
      length += n;
      if (length < SHORT_READ_IS_END && n < wanted) break;
    }
    return this.buffer.toString('latin1', 0, length);
  }
}
