/**
 * Counters of a database server running on this machine, read from Linux `/proc`: its CPU time (on
 * a small machine the server and the site share the cores, so a statement costs both) and the bytes
 * it read from storage (pages its own cache, and the OS's, did not hold).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ, 100 on every Linux build that matters). */
const TICKS_PER_SECOND = 100;

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * Parses utime + stime (fields 14 and 15) out of a `/proc/<pid>/stat` line, in milliseconds. The
 * command name (field 2) may hold spaces and parentheses, so fields are counted after its last `)`.
 */
export function cpuMsFromStat(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name, field 3 (state) is index 0, so utime (14) and stime (15) are indexes 11 and 12.
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error('bench: unreadable /proc stat line');
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** The process ids whose command name matches, or none when `/proc` cannot be read. */
function pidsNamed(name: RegExp): string[] {
  try {
    return readdirSync('/proc').filter((entry) => {
      if (!/^\d+$/.test(entry)) return false;
      try {
        return name.test(readFileSync(`/proc/${entry}/comm`, 'utf8').trim());
      } catch {
        return false;
      }
    });
  } catch {
    return [];
  }
}

/** The CPU time of one process, or 0 when it has ended since it was listed. */
function processCpuMs(pid: string): number {
  try {
    return cpuMsFromStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return 0;
  }
}

/**
 * `/proc/<pid>/io`'s `read_bytes`: what the process caused to be read from storage, direct I/O
 * included and reads served by the OS page cache left out.
 */
export function readBytesFromIo(io: string): number {
  const match = /^read_bytes:\s*(\d+)$/m.exec(io);
  if (!match) throw new Error('bench: unreadable /proc io text');
  return Number(match[1]);
}

/** The storage bytes one process has read, or 0 when it has ended since it was listed. */
function processReadBytes(pid: string): number {
  try {
    return readBytesFromIo(readFileSync(`/proc/${pid}/io`, 'utf8'));
  } catch {
    return 0;
  }
}

/**
 * The processes of the database server at `url`, listed afresh on each call, when it runs on this
 * machine and `/proc` shows it; otherwise undefined (a remote server is not ours to see). MariaDB/MySQL
 * is one process. PostgreSQL is a process per connection plus its workers, so every call lists all
 * the `postgres` processes alive at that moment: the site's pool keeps its backends for the whole
 * measurement, so the difference of two sums over them is the server's work in between.
 */
function localServerProcesses(url: string): (() => string[]) | undefined {
  const parsed = new URL(url);
  if (process.platform !== 'linux' || !LOCAL_HOSTS.has(parsed.hostname)) return undefined;
  const name =
    parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:' ? /^postgres$/ : /^(mariadbd|mysqld)$/;
  if (pidsNamed(name).length === 0) return undefined;
  return () => pidsNamed(name);
}

/** A reader of the server's CPU time in ms (see {@link localServerProcesses} for which processes count). */
export function localServerCpuReader(url: string): (() => number) | undefined {
  const pids = localServerProcesses(url);
  return pids && (() => pids().reduce((total, pid) => total + processCpuMs(pid), 0));
}

/**
 * A reader of the bytes the server has read from storage, or undefined where `/proc/<pid>/io` is
 * not readable (it needs the server's own user or root).
 */
export function localServerReadBytesReader(url: string): (() => number) | undefined {
  const pids = localServerProcesses(url);
  if (!pids) return undefined;
  try {
    readBytesFromIo(readFileSync(`/proc/${pids()[0]}/io`, 'utf8'));
  } catch {
    return undefined;
  }
  return () => pids().reduce((total, pid) => total + processReadBytes(pid), 0);
}
