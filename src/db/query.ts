// The typed query layer: Kysely over our Db (PGlite or a PostgreSQL server), with the row types generated from the
// migrations (schema.generated.ts). New code writes its queries here; the compiler checks every table, column and
// parameter. Transactions stay the Db's own: inside `db.transaction(tx => …)` use `typed(tx)`.
//
// The scope is the privacy boundary of the product, so it is written once: `inScope(scope, columns)` is the only
// way to filter a query over a table that holds personal data or money (SCOPED_TABLES) to a role's region,
// municipality or provider. Every compiled query is checked before it runs: one that reads such a table without
// `inScope` (or an explicit `unscoped('why')` for system work such as the demo loader) throws instead of running.
import {
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type Expression,
  type ExpressionBuilder,
  type QueryResult,
  type RawBuilder,
  type SqlBool,
} from 'kysely';
import type { Db } from './db.ts';
import type { Database } from './schema.generated.ts';

export type { Database } from './schema.generated.ts';
export { sql, type RawBuilder } from 'kysely';
export type Query = Kysely<Database>;

/** A role's data scope (access/roles.ts DataScope): the region always, a municipality or provider when the role has one. */
export interface Scope {
  regionId: string;
  municipalityCode: string | null;
  providerId: number | null;
}

/** Tables with personal data or money: no query over them runs without a scope (or an explicit unscoped reason). */
export const SCOPED_TABLES = new Set<string>([
  'youth',
  'allocation',
  'declaration_line',
  'ijw_declaration_line',
  'ijw_message',
  'ijw_request',
  'ijw_allocation_message',
  'placement_request',
  'placement_request_event',
  'placement_reservation',
  'budget',
  'audit_log',
  'declaration_year_fact',
  'declaration_month_fact',
  'allocation_trajectory',
]);

/** Further tables of a capability that hold personal data or money (call at module load, before any query). */
export function registerScopedTables(...tables: string[]): void {
  for (const t of tables) SCOPED_TABLES.add(t);
}

const SCOPE_MARK = '/*scope*/';
const UNSCOPED_MARK = '/*unscoped*/';

export class UnscopedQueryError extends Error {
  constructor(
    readonly table: string,
    readonly sqlText: string,
  ) {
    super(`Query over '${table}' zonder scope: filter met inScope(scope, …) of geef met unscoped('reden') aan waarom niet`);
    this.name = 'UnscopedQueryError';
  }
}

const tablePattern = () => new RegExp(`(?:from|join|into|update)\\s+"?(${[...SCOPED_TABLES].join('|')})"?(?![a-z0-9_])`, 'i');
let cachedPattern: { size: number; re: RegExp } | null = null;

/** The scoped table a compiled query reads or writes without a scope, or null. */
export function unscopedTable(sqlText: string): string | null {
  if (sqlText.includes(SCOPE_MARK) || sqlText.includes(UNSCOPED_MARK)) return null;
  if (!cachedPattern || cachedPattern.size !== SCOPED_TABLES.size) cachedPattern = { size: SCOPED_TABLES.size, re: tablePattern() };
  return cachedPattern.re.exec(sqlText)?.[1] ?? null;
}

type ScopeColumns = {
  /** column holding the region id (e.g. 'c.region_id'); when absent the query must reach the region another way */
  region?: string;
  /** column holding the municipality code (char(4) columns compare as bpchar so their index is used) */
  municipality?: string;
  /** column holding the provider id; several columns: a provider sees the row when any of them is its own */
  provider?: string | string[];
  /** region-wide data (capacity, tariffs): a municipality sees all of its region's rows, on purpose */
  regionWideForMunicipalities?: true;
  /** data no provider may see (the waiting list, a municipality's budget): a provider's scope gets no rows */
  noneForProviders?: true;
  /**
   * a total with no person in it that a provider sees for the whole region (the region's money a provider's share is
   * taken of, the count of waiting requests per kind of place, the budgets beside the commitments): the provider part
   * of the scope is left out on purpose, the region and municipality parts still hold. The query must aggregate.
   */
  wholeRegionForProviders?: true;
};

/** The region of a municipality's own scope (`municipalityScope`): the query reaches the region through the municipality. */
const REGION_OF_MUNICIPALITY = '\u0000gemeente';

/**
 * The scope of one municipality (and, if given, one provider), for work that starts from the municipality rather than
 * from a user (the JW301 export): the region follows from the municipality, so the query names no region column
 * (naming one throws).
 */
export function municipalityScope(municipalityCode: string, providerId: number | null = null): Scope {
  return { regionId: REGION_OF_MUNICIPALITY, municipalityCode, providerId };
}

/**
 * The scope as one SQL condition: region, then the role's municipality or provider. A column the scope needs but the
 * query does not name is an error here, not a silent widening: a municipality's scope over a query without a
 * municipality column throws. For hand-written SQL run through the typed layer:
 * `` sql`SELECT … WHERE ${scopeSql(scope, { region: 'r.region_id' })}`.execute(typed(db)) ``.
 */
export function scopeSql(scope: Scope, columns: ScopeColumns): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [sql`true ${sql.raw(SCOPE_MARK)}`];
  if (columns.region) {
    if (scope.regionId === REGION_OF_MUNICIPALITY) throw new Error('scope: een gemeentescope (municipalityScope) heeft geen regio; laat de regiokolom weg');
    parts.push(sql`${sql.ref(columns.region)} = ${scope.regionId}`);
  }
  if (scope.municipalityCode !== null && !columns.regionWideForMunicipalities) {
    if (!columns.municipality) throw new Error('scope: deze query heeft geen gemeentekolom, maar de rol is tot een gemeente beperkt');
    parts.push(sql`${sql.ref(columns.municipality)} = ${scope.municipalityCode}::bpchar`);
  }
  if (scope.providerId !== null && !columns.wholeRegionForProviders) {
    if (columns.noneForProviders) parts.push(sql`false`);
    else if (!columns.provider) throw new Error('scope: deze query heeft geen aanbiederkolom, maar de rol is tot een aanbieder beperkt');
    else {
      const cols = Array.isArray(columns.provider) ? columns.provider : [columns.provider];
      parts.push(
        sql`(${sql.join(
          cols.map((c) => sql`${sql.ref(c)} = ${scope.providerId}::int`),
          sql` OR `,
        )})`,
      );
    }
  }
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}

/** The scope as a Kysely condition: `.where(inScope(scope, { region: 'x.region_id', municipality: …, provider: … }))`. */
export function inScope(scope: Scope, columns: ScopeColumns) {
  return (_eb: ExpressionBuilder<any, any>): Expression<SqlBool> => scopeSql(scope, columns);
}

/** For system work that must see every row (demo loader, migrations of data, background jobs): says why, in the code. */
export function unscoped(_why: string) {
  return (): Expression<SqlBool> => sql<SqlBool>`true ${sql.raw(UNSCOPED_MARK)}`;
}

class DbConnection implements DatabaseConnection {
  constructor(private readonly db: Db) {}
  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const table = unscopedTable(compiled.sql);
    if (table) throw new UnscopedQueryError(table, compiled.sql);
    const rows = await this.db.query<R>(compiled.sql, compiled.parameters as unknown[]);
    return { rows };
  }
  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery wordt niet ondersteund: gebruik limit/offset of db.copyRows');
  }
}

class DbDriver implements Driver {
  private readonly connection: DbConnection;
  constructor(db: Db) {
    this.connection = new DbConnection(db);
  }
  async init() {}
  async acquireConnection() {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error('Kysely-transacties worden niet gebruikt: schrijf db.transaction(async (tx) => { const q = typed(tx); … })');
  }
  async commitTransaction() {}
  async rollbackTransaction() {}
  async releaseConnection() {}
  async destroy() {}
}

const instances = new WeakMap<Db, Query>();

/** The typed query builder over `db` (or over a transaction's `tx`): cheap, one per Db. */
export function typed(db: Db): Query {
  let q = instances.get(db);
  if (!q) {
    q = new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DbDriver(db),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    instances.set(db, q);
  }
  return q;
}

/** The rows of a hand-written query (`sql` template) run through the typed layer, so its scope is checked like any other. */
export async function rows<R>(db: Db, query: RawBuilder<R>): Promise<R[]> {
  return (await query.execute(typed(db))).rows;
}
