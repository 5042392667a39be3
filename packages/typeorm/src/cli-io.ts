/** What every `secondfactor-typeorm` command shares: its streams and environment, and the database it opens. */
import { DataSource } from 'typeorm';
import { dataSourceOptionsFromUrl } from './data-source-options-from-url';
import { twoFactorEntities } from './entities';

/** The streams and environment the CLI uses; injectable for tests. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Opens the DataSource `DATABASE_URL` names, runs `work` on it and closes it again. */
export async function withDataSource<T>(url: string, work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const dataSource = new DataSource({ ...dataSourceOptionsFromUrl(url), entities: [...twoFactorEntities] });
  await dataSource.initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
