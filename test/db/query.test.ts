// The typed query layer (src/db/query.ts): the row types follow the migrations, queries run on both engines, and a
// query over personal or money tables cannot run without the scope helper.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { testDb } from '../helpers/db.ts';
import type { Db } from '../../src/db/index.ts';
import { inScope, municipalityScope, rows, scopeSql, sql, typed, unscoped, unscopedTable, UnscopedQueryError } from '../../src/db/query.ts';
import { schemaTypesSource } from '../../src/db/schema-types.ts';

let db: Db;
beforeAll(async () => {
  db = await testDb();
  await db.exec(`INSERT INTO region (id, name, jeugdzorgregio) VALUES ('r1', 'Regio Een', 'Een'), ('r2', 'Regio Twee', 'Twee')`);
  await db.exec(`INSERT INTO municipality (code, name, province, jeugdzorgregio, region_id)
                 VALUES ('0153', 'Enschede', 'Overijssel', 'Een', 'r1'), ('0150', 'Deventer', 'Overijssel', 'Een', 'r1'), ('0200', 'Apeldoorn', 'Gelderland', 'Twee', 'r2')`);
  await db.exec(`INSERT INTO segment (region_id, code, name) VALUES ('r1', 'AMB', 'Ambulant'), ('r2', 'AMB', 'Ambulant')`);
  await db.exec(`INSERT INTO budget (municipality_code, segment_id, year, amount_cents)
                 SELECT m.code, s.id, 2026, 100 FROM municipality m JOIN segment s ON s.region_id = m.region_id`);
});
afterAll(async () => {
  await db?.close();
});

describe('getypeerde query-laag', () => {
  it('de gegenereerde rijtypen lopen gelijk met de migraties (npm run db:types)', async () => {
    const stored = readFileSync(new URL('../../src/db/schema.generated.ts', import.meta.url), 'utf8');
    expect(await schemaTypesSource(db)).toBe(stored);
  });

  it('een getypeerde query draait en geeft kalenderdatums en getallen zoals db.ts ze parseert', async () => {
    const rows = await typed(db).selectFrom('municipality').select(['code', 'name']).where('region_id', '=', 'r1').orderBy('code').execute();
    expect(rows.map((r) => r.code.trim())).toEqual(['0150', '0153']);
  });

  it('een query over een tabel met persoonsgegevens of geld zonder scope draait niet', async () => {
    const q = typed(db).selectFrom('allocation').select(['id']);
    await expect(q.execute()).rejects.toBeInstanceOf(UnscopedQueryError);
    await expect(
      typed(db).selectFrom('municipality as m').innerJoin('budget as b', 'b.municipality_code', 'm.code').select('b.year').execute(),
    ).rejects.toThrow(/budget.*zonder scope/);
    expect(unscopedTable('select 1 from "declaration_line" as d')).toBe('declaration_line');
    expect(unscopedTable('select 1 from "declaration_line_x"')).toBeNull();
  });

  it('inScope beperkt tot de regio en tot de gemeente van de rol', async () => {
    const budgets = (scope: { regionId: string; municipalityCode: string | null; providerId: number | null }) =>
      typed(db)
        .selectFrom('budget as b')
        .innerJoin('municipality as m', 'm.code', 'b.municipality_code')
        .select(['b.municipality_code'])
        .where(inScope(scope, { region: 'm.region_id', municipality: 'b.municipality_code' }))
        .execute();
    const region = await budgets({ regionId: 'r1', municipalityCode: null, providerId: null });
    const own = await budgets({ regionId: 'r1', municipalityCode: '0153', providerId: null });
    const all = await typed(db).selectFrom('budget').select('municipality_code').where(unscoped("test: alle regio's")).execute();
    expect(own.map((r) => r.municipality_code)).toEqual(['0153']);
    expect(region.map((r) => r.municipality_code).sort()).toEqual(['0150', '0153']);
    expect(all).toHaveLength(3);
  });

  it('een scope met een gemeente op een query zonder gemeentekolom is een fout, geen verbreding', () => {
    expect(() =>
      typed(db)
        .selectFrom('budget')
        .select('year')
        .where(inScope({ regionId: 'r1', municipalityCode: '0153', providerId: null }, { provider: 'budget.segment_id' }))
        .compile(),
    ).toThrow(/gemeentekolom/);
  });

  it('scopeSql in hand geschreven SQL: dezelfde scope, en zonder scope draait het niet', async () => {
    const of = (scope: { regionId: string; municipalityCode: string | null; providerId: number | null }, extra: object = {}) =>
      rows<{ code: string }>(
        db,
        sql`SELECT trim(b.municipality_code) AS code FROM budget b JOIN municipality m ON m.code = b.municipality_code
        WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'b.municipality_code', ...extra })} ORDER BY 1`,
      );
    expect((await of({ regionId: 'r1', municipalityCode: null, providerId: null })).map((r) => r.code)).toEqual(['0150', '0153']);
    expect((await of({ regionId: 'r1', municipalityCode: '0150', providerId: null })).map((r) => r.code)).toEqual(['0150']);
    // region-wide data on purpose: the municipality sees its whole region
    expect(await of({ regionId: 'r1', municipalityCode: '0150', providerId: null }, { regionWideForMunicipalities: true })).toHaveLength(2);
    // data no provider may see, and a provider column that is not there
    expect(await of({ regionId: 'r1', municipalityCode: null, providerId: 7 }, { noneForProviders: true })).toEqual([]);
    expect(() => scopeSql({ regionId: 'r1', municipalityCode: null, providerId: 7 }, { region: 'm.region_id' })).toThrow(/aanbiederkolom/);
    // several provider columns: any of them being the provider's own
    const text = scopeSql({ regionId: 'r1', municipalityCode: null, providerId: 7 }, { provider: ['a.provider_id', 'b.provider_id'] }).compile(typed(db)).sql;
    expect(text).toMatch(/"a"\."provider_id" = \$1::int OR "b"\."provider_id" = \$2::int/);
    await expect(rows(db, sql`SELECT 1 FROM budget`)).rejects.toBeInstanceOf(UnscopedQueryError);
  });

  it('de benoemde uitzonderingen: een regiototaal voor een aanbieder, een gemeentescope zonder regio', async () => {
    const total = async (scope: { regionId: string; municipalityCode: string | null; providerId: number | null }, extra: object = {}) =>
      rows<{ n: number }>(
        db,
        sql`SELECT count(*)::int AS n FROM budget b JOIN municipality m ON m.code = b.municipality_code
        WHERE ${scopeSql(scope, { region: 'm.region_id', municipality: 'b.municipality_code', ...extra })}`,
      );
    // a provider's scope over a query without a provider column is an error, unless the total is meant for the whole region
    await expect(total({ regionId: 'r1', municipalityCode: null, providerId: 7 })).rejects.toThrow(/aanbiederkolom/);
    expect(await total({ regionId: 'r1', municipalityCode: null, providerId: 7 }, { wholeRegionForProviders: true })).toEqual([{ n: 2 }]);
    // the region and municipality parts still hold
    expect(await total({ regionId: 'r2', municipalityCode: null, providerId: 7 }, { wholeRegionForProviders: true })).toEqual([{ n: 1 }]);
    expect(await total({ regionId: 'r1', municipalityCode: '0150', providerId: 7 }, { wholeRegionForProviders: true })).toEqual([{ n: 1 }]);
    // a municipality's own scope: limited to the municipality, and naming a region column is an error
    const own = await rows<{ code: string }>(
      db,
      sql`SELECT trim(b.municipality_code) AS code FROM budget b
      WHERE ${scopeSql(municipalityScope('0153'), { municipality: 'b.municipality_code' })}`,
    );
    expect(own.map((r) => r.code)).toEqual(['0153']);
    expect(() => scopeSql(municipalityScope('0153'), { region: 'm.region_id', municipality: 'b.municipality_code' })).toThrow(/gemeentescope/);
  });

  it('typed(tx) draait binnen de transactie van de Db; een Kysely-transactie is een fout', async () => {
    await expect(
      db.transaction(async (tx) => {
        await typed(tx).insertInto('region').values({ id: 'r3', name: 'Regio Drie', jeugdzorgregio: 'Drie' }).execute();
        throw new Error('terugdraaien');
      }),
    ).rejects.toThrow('terugdraaien');
    expect(await typed(db).selectFrom('region').select('id').where('id', '=', 'r3').execute()).toEqual([]);
    await expect(
      typed(db)
        .transaction()
        .execute(async () => 1),
    ).rejects.toThrow(/db.transaction/);
  });

  it('de buitenste db binnen een transactie gebruiken is een fout (hing op PGlite, liep op een server buiten de transactie)', async () => {
    await expect(db.transaction(async () => db.query('SELECT 1'))).rejects.toThrow(/gebruik de tx/);
    await expect(db.transaction(async () => typed(db).selectFrom('region').select('id').execute())).rejects.toThrow(/gebruik de tx/);
    // after the transaction, work it left running may use db again
    let later: Promise<unknown> = Promise.resolve();
    await db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      later = new Promise((r) => setTimeout(r, 20)).then(() => db.query('SELECT 2 AS n'));
    });
    await expect(later).resolves.toEqual([{ n: 2 }]);
  });

  it("een fout van de database houdt PostgreSQL's velden (code, constraint, detail), ook uit een transactie, en de typen blijven zoals db.ts ze parseert", async () => {
    // PGlite runs on a worker thread: what callers test (requests.ts, import.ts: code 23505 and the constraint's name)
    // must come back as PostgreSQL gave it
    const duplicate = await db.query(`INSERT INTO region (id, name, jeugdzorgregio) VALUES ('r1', 'Dubbel', 'Een')`).catch((e) => e);
    expect(duplicate).toBeInstanceOf(Error);
    expect(duplicate).toMatchObject({ code: '23505', constraint: 'region_pkey', detail: 'Key (id)=(r1) already exists.' });
    expect(duplicate.message).toMatch(/duplicate key value violates unique constraint "region_pkey"/);
    const inTx = await db
      .transaction(async (tx) => {
        await tx.query('SELECT 1');
        await tx.exec(`INSERT INTO region (id, name, jeugdzorgregio) VALUES ('r1', 'Dubbel', 'Een')`);
      })
      .catch((e) => e);
    expect(inTx).toMatchObject({ code: '23505', constraint: 'region_pkey' });
    expect(await db.query(`SELECT 1 AS one`)).toEqual([{ one: 1 }]); // the transaction was rolled back, the connection is usable
    const [r] = await db.query(
      `SELECT 9007199254740991::int8 AS big, 12.50::numeric AS amount, date '2026-02-28' AS day,
              timestamptz '2026-02-28 13:14:15+01' AS at, true AS yes, NULL::text AS nothing, '{"a":[1]}'::jsonb AS doc`,
    );
    expect(r).toEqual({ big: 9007199254740991, amount: '12.50', day: '2026-02-28', at: '2026-02-28T12:14:15.000Z', yes: true, nothing: null, doc: { a: [1] } });
    await expect(db.query(`SELECT 9007199254740993::int8 AS n`)).rejects.toThrow(/exceeds the safe integer range/);
  });
});

describe('de hand geschreven scopefilters nemen alleen af', () => {
  // The raw-SQL queries written before the typed layer spelled the scope out by hand ("$4::text IS NULL OR
  // d.municipality_code = $4"): all of them now use inScope or scopeSql. None may come back.
  const ALLOWED: Record<string, number> = {};
  it('geen nieuwe', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const path = await import('node:path');
    const root = new URL('../../', import.meta.url).pathname;
    const found: Record<string, number> = {};
    const walk = (dir: string) => {
      for (const n of readdirSync(dir)) {
        const p = path.join(dir, n);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) {
          const hits = readFileSync(p, 'utf8').match(/IS NULL OR [a-z_]*\.?[a-z_]*(municipality_code|provider_id)/g)?.length ?? 0;
          if (hits) found[path.relative(root, p)] = hits;
        }
      }
    };
    walk(path.join(root, 'src'));
    const grown = Object.entries(found)
      .filter(([f, n]) => n > (ALLOWED[f] ?? 0))
      .map(([f, n]) => `${f}: ${n} (toegestaan ${ALLOWED[f] ?? 0})`);
    expect(grown).toEqual([]);
  });
});

describe('raw SQL over personal or money tables only shrinks', () => {
  // db.query / tx.query / db.exec with SQL that reads or writes a table of SCOPED_TABLES bypasses the typed layer and
  // its scope check. What is left is mostly system work (imports, demo loaders, the placement request's own
  // writes); this list may only shrink: new code goes through typed(db) + inScope, or rows(db, sql`…${scopeSql(…)}`).
  const ALLOWED: Record<string, number> = {
    'src/access/demo.ts': 1,
    'src/access/store.ts': 2,
    'src/app.ts': 1,
    'src/catalog/read.ts': 4,
    'src/ijw/demo.ts': 3,
    'src/ijw/history-db.ts': 2,
    'src/ijw/store.ts': 4,
    // the iJW import, split by step (was 17 in src/ijw/import.ts): storing the message, its lines, allocations and answer
    'src/ijw/import/allocations.ts': 5,
    'src/ijw/import/answer.ts': 2,
    'src/ijw/import/declaration.ts': 4,
    'src/ijw/import/message-row.ts': 2,
    // moved with the ledger and the budgets (issue 15 §8), not new: booking the JW323 lines, the ledger's default year, the budget import
    'src/funding/ledger.ts': 2,
    'src/funding/budgets.ts': 1,
    'src/monitoring/facts.ts': 1,
    'src/monitoring/risk-routes.ts': 1,
    'src/monitoring/risk.ts': 3,
    'src/placement/demo.ts': 6,
    'src/placement/requests.ts': 15,
    'src/placement/stats.ts': 1,
    'src/placement/store.ts': 1,
  };
  it('geen nieuwe ruwe query over een tabel met persoonsgegevens of geld', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs');
    const path = await import('node:path');
    const { SCOPED_TABLES } = await import('../../src/db/query.ts');
    const root = new URL('../../', import.meta.url).pathname;
    const table = new RegExp(`(?:from|join|into|update)\\s+"?(${[...SCOPED_TABLES].join('|')})"?(?![a-z0-9_])`, 'i');
    const found: Record<string, number> = {};
    const walk = (dir: string) => {
      for (const n of readdirSync(dir)) {
        const p = path.join(dir, n);
        if (statSync(p).isDirectory()) {
          walk(p);
          continue;
        }
        if (!p.endsWith('.ts')) continue;
        const text = readFileSync(p, 'utf8');
        let hits = 0;
        for (const m of text.matchAll(/\.(query|exec)(<[^>]*>)?\(/g)) {
          const call = text.slice(m.index, m.index + 1500);
          const end = call.indexOf(');');
          if (table.test(end > 0 ? call.slice(0, end) : call)) hits++;
        }
        if (hits) found[path.relative(root, p)] = hits;
      }
    };
    walk(path.join(root, 'src'));
    const grown = Object.entries(found)
      .filter(([f, n]) => n > (ALLOWED[f] ?? 0))
      .map(([f, n]) => `${f}: ${n} (toegestaan ${ALLOWED[f] ?? 0})`);
    expect(grown).toEqual([]);
  });
});
