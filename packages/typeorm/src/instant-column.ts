/**
 * The column type of every instant in the two-factor tables. `Date` is the one type TypeORM maps per
 * driver when a DataSource builds its metadata: `datetime(3)` on MySQL/MariaDB and SQLite (what
 * installed databases already have), `timestamp(3)` on PostgreSQL, which has no `datetime`. One
 * entity definition thus serves all three drivers.
 */

/** Spread into an EntitySchema column: an instant with millisecond precision. */
export const INSTANT_COLUMN = { type: Date, precision: 3 } as const;
