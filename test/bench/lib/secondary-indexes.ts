/**
 * A table's secondary indexes set aside during a bulk insert and built again after it: the
 * server then sorts each index once instead of inserting millions of keys at random places in a
 * tree far larger than its buffer cache. The primary key stays.
 */
import type { DataSource } from 'typeorm';
import type { ScaleDatabase } from './config';

/** One secondary index: its name and the statement that builds it again. */
interface SecondaryIndex {
  name: string;
  create: string;
}

async function listMariaDb(dataSource: DataSource, table: string): Promise<SecondaryIndex[]> {
  const rows = (await dataSource.query(`SHOW INDEX FROM \`${table}\``)) as Array<{
    Key_name: string;
    Non_unique: number | string;
    Seq_in_index: number | string;
    Column_name: string;
    Sub_part: number | string | null;
  }>;
  const byName = new Map<string, typeof rows>();
  for (const row of rows.filter((r) => r.Key_name !== 'PRIMARY'))
    byName.set(row.Key_name, [...(byName.get(row.Key_name) ?? []), row]);
  return [...byName].map(([name, parts]) => {
    const columns = parts
      .sort((a, b) => Number(a.Seq_in_index) - Number(b.Seq_in_index))
      .map((p) => `\`${p.Column_name}\`${p.Sub_part === null ? '' : `(${Number(p.Sub_part)})`}`);
    const unique = Number(parts[0].Non_unique) === 0 ? 'UNIQUE ' : '';
    return { name, create: `ADD ${unique}INDEX \`${name}\` (${columns.join(', ')})` };
  });
}

async function listPostgres(dataSource: DataSource, table: string): Promise<SecondaryIndex[]> {
  // Indexes of constraints (the primary key, a UNIQUE or foreign-key constraint) are left alone.
  const rows = (await dataSource.query(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS create
     FROM pg_index i
     JOIN pg_class c ON c.oid = i.indexrelid
     JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relname = $1 AND t.relnamespace = current_schema()::regnamespace
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`,
    [table],
  )) as SecondaryIndex[];
  return rows;
}

/**
 * Drops the secondary indexes of `table` and returns the function that builds them again, in one
 * statement on MariaDB (one pass over the table) and one per index on PostgreSQL.
 */
export async function setAsideSecondaryIndexes(
  dataSource: DataSource,
  kind: ScaleDatabase,
  table: string,
): Promise<() => Promise<void>> {
  const indexes = kind === 'postgres' ? await listPostgres(dataSource, table) : await listMariaDb(dataSource, table);
  if (!indexes.length) return async () => {};
  if (kind === 'postgres') for (const { name } of indexes) await dataSource.query(`DROP INDEX "${name}"`);
  else
    await dataSource.query(
      `ALTER TABLE \`${table}\` ${indexes.map(({ name }) => `DROP INDEX \`${name}\``).join(', ')}`,
    );
  return async () => {
    if (kind === 'postgres') for (const { create } of indexes) await dataSource.query(create);
    else await dataSource.query(`ALTER TABLE \`${table}\` ${indexes.map(({ create }) => create).join(', ')}`);
  };
}
