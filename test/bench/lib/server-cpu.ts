/**
 * CPU time of a database server running on this machine, read from Linux `/proc`: on a small
 * machine the server and the site share the cores, so a statement costs both.
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
 * A reader of the CPU time of the database server at `url`, when it runs on this machine and
 * `/proc` shows it; otherwise undefined (a remote server's CPU is not ours to see). MariaDB/MySQL is
 * one process. PostgreSQL is a process per connection plus its workers, so every read sums all the
 * `postgres` processes alive at that moment: the site's pool keeps its backends for the whole
 * measurement, so the difference of two reads is the server's work in between.
 */
export function localServerCpuReader(url: string): (() => number) | undefined {
  const parsed = new URL(url);
  if (process.platform !== 'linux' || !LOCAL_HOSTS.has(parsed.hostname)) return undefined;
  if (parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:') {
    if (pidsNamed(/^postgres$/).length === 0) return undefined;
    return () => pidsNamed(/^postgres$/).reduce((total, pid) => total + processCpuMs(pid), 0);
  }
  const [pid] = pidsNamed(/^(mariadbd|mysqld)$/);
  if (!pid) return undefined;
  const statFile = `/proc/${pid}/stat`;
  return () => cpuMsFromStat(readFileSync(statFile, 'utf8'));
}
