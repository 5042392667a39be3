/** What the figures were measured on, for the report: they mean little without it. */
import os from 'node:os';

/** The machine and software versions of a run. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** `SELECT VERSION()` of the MariaDB server, when part 4 ran on it. */
  mariadb?: string;
  /** The PostgreSQL server version, when part 4 ran on it. */
  postgres?: string;
  /** `sqlite_version()` of better-sqlite3, when part 4 ran on it. */
  sqlite?: string;
  /** The 1-minute load average when the bench started: other work on the machine shows here. */
  loadAverageAtStart: number;
  startedAt: string;
}

/**
 * Describes this machine; the database versions are filled in by the parts that connect.
 */
export function describeMachine(now: Date = new Date()): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() || 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: Math.round(os.loadavg()[0] * 100) / 100,
    startedAt: now.toISOString(),
  };
}
