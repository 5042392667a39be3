/** The SQLite database file is private to its owner (0600), like the key files beside it. */
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The database file and the journals SQLite keeps beside it.
 */
export function sqliteFilePaths(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];
}

/**
 * Creates the SQLite file with mode 0600 before SQLite opens it, and narrows an existing one (and
 * its journals) to 0600. SQLite creates its WAL and shared-memory files with the mode of the
 * database file, so they are 0600 too: other local users cannot read sessions or ciphertexts.
 */
export function preparePrivateSqliteFile(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  closeSync(openSync(file, 'a', 0o600));
  for (const path of sqliteFilePaths(file)) {
    try {
      chmodSync(path, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
