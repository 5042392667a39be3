/**
 * Development-only keys: generated once into the data folder so a fresh clone starts without
 * setup, and reused on the next start so sessions and encrypted secrets survive a restart.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Input of {@link loadOrCreateDevelopmentSecret}. */
export interface DevelopmentSecretInput {
  /** The data folder. */
  dataDir: string;
  /** File name inside the data folder. */
  fileName: string;
  /** Makes a new value when the file does not exist yet. */
  generate: () => string;
}

/**
 * Reads a development secret from `<dataDir>/<fileName>`, creating it (mode 0600) on first use.
 */
export function loadOrCreateDevelopmentSecret(input: DevelopmentSecretInput): {
  value: string;
  file: string;
  created: boolean;
} {
  const file = join(input.dataDir, input.fileName);
  try {
    const value = readFileSync(file, 'utf8').trim();
    if (value) return { value, file, created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(input.dataDir, { recursive: true });
  const value = input.generate();
  // 'wx' so two instances starting at once cannot overwrite each other's key.
  try {
    writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return { value: readFileSync(file, 'utf8').trim(), file, created: false };
    throw error;
  }
  return { value, file, created: true };
}
