// Bulk loading without per-row foreign-key checks (PostgreSQL manual, "Populating a Database": remove
// foreign key constraints, load, recreate them). A COPY into a table with foreign keys runs one look-up
// query per row per key; on PGlite that was three quarters of the demo load. Re-adding a key checks the
// whole table in one join instead.
import type { Db } from '../db/index.ts';

/** The tables the generator fills in bulk (their outgoing foreign keys). */
export const BULK_TABLES = ['youth', 'allocation', 'declaration_line'] as const;

/**
 * Runs `fn` with the foreign keys of `tables` dropped, then re-adds them exactly as they were
 * (pg_get_constraintdef), each validated over the whole table: a row that breaks a key still fails the
 * load. Only inside a transaction (`tx`), so that a failure rolls the keys back too; afterwards the schema
 * is unchanged. The tables are locked (ACCESS EXCLUSIVE) until the transaction ends. Falls back to the
 * per-row checks when the current user does not own the tables. Nested calls find no keys and just run `fn`.
 */
export async function withoutForeignKeyChecks<T>(tx: Db, tables: readonly string[], fn: () => Promise<T>): Promise<T> {
  const [{ owner }] = await tx.query<{ owner: boolean }>(
    `SELECT COALESCE(bool_and(pg_has_role(relowner, 'USAGE')), false) AS owner FROM pg_class WHERE oid = ANY($1::text[]::regclass[])`,
    [tables],
  );
  if (!owner) return fn();
  const keys = await tx.query<{ tbl: string; name: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, quote_ident(c.conname) AS name, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY($1::text[]::regclass[]) ORDER BY c.conrelid::regclass::text, c.conname`,
    [tables],
  );
  if (!keys.length) return fn();
  const byTable = new Map<string, { name: string; def: string }[]>();
  for (const k of keys) byTable.set(k.tbl, [...(byTable.get(k.tbl) ?? []), k]);
  for (const [tbl, ks] of byTable) await tx.query(`ALTER TABLE ${tbl} ${ks.map((k) => `DROP CONSTRAINT ${k.name}`).join(', ')}`);
  const result = await fn();
  for (const [tbl, ks] of byTable) await tx.query(`ALTER TABLE ${tbl} ${ks.map((k) => `ADD CONSTRAINT ${k.name} ${k.def}`).join(', ')}`);
  return result;
}

/** The tables whose secondary indexes are built once after a bulk load instead of row by row. */
export const BULK_INDEXED = ['youth', 'allocation', 'declaration_line'] as const;

/**
 * Runs `fn` with the secondary indexes of `tables` dropped (plain indexes and UNIQUE constraints; primary keys
 * stay), then builds them again from their definitions (pg_indexes, pg_get_constraintdef): one sort per index
 * instead of an insert per row (PostgreSQL manual, "Populating a Database": remove indexes). A duplicate still
 * fails the load when its constraint is re-added. Inside a transaction only; falls back to loading with the
 * indexes when the current user does not own the tables; nested calls find no indexes and just run `fn`.
 */
export async function withoutIndexes<T>(tx: Db, tables: readonly string[], fn: () => Promise<T>): Promise<T> {
  const [{ owner }] = await tx.query<{ owner: boolean }>(
    `SELECT COALESCE(bool_and(pg_has_role(relowner, 'USAGE')), false) AS owner FROM pg_class WHERE oid = ANY($1::text[]::regclass[])`,
    [tables],
  );
  if (!owner) return fn();
  const indexes = await tx.query<{ name: string; def: string }>(
    `SELECT quote_ident(i.indexname) AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
     ORDER BY i.indexname`,
    [tables],
  );
  const uniques = await tx.query<{ tbl: string; name: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, quote_ident(c.conname) AS name, pg_get_constraintdef(c.oid) AS def
     FROM pg_constraint c WHERE c.contype = 'u' AND c.conrelid = ANY($1::text[]::regclass[])
       AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)
     ORDER BY 1, 2`,
    [tables],
  );
  for (const i of indexes) await tx.exec(`DROP INDEX ${i.name}`);
  for (const u of uniques) await tx.exec(`ALTER TABLE ${u.tbl} DROP CONSTRAINT ${u.name}`);
  const result = await fn();
  for (const u of uniques) await tx.exec(`ALTER TABLE ${u.tbl} ADD CONSTRAINT ${u.name} ${u.def}`);
  for (const i of indexes) await tx.exec(i.def);
  return result;
}
