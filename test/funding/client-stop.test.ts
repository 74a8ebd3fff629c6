// A client stop blocks new allocations (issue 16 scope 4): with a cliëntenstop on the provider's enforcement ladder
// for a segment, a JW301 allocating a product of that segment to that provider from the stop's date on is refused with
// a clear Dutch reason and a return code, and nothing is stored for it; a change of an existing allocation, another
// provider, another segment and a start before the stop go through; once the stop is lifted (ends_on) it lets new
// allocations through again. Asked through the providers' door (clientStopFor).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.ts';
import { importMessage } from '../../src/ijw/import.ts';
import { writeMessage } from '../../src/ijw/writer.ts';
import type { JW301Bericht } from '../../src/ijw/schema.ts';
import { clientStopFor } from '../../src/providers/index.ts';
import { BSN2, MUNICIPALITY, PROVIDER, TODAY, exampleModel } from '../ijw/helpers.ts';
import { importFixture, keys } from '../ijw/fixture.ts';

let db: Db;
let providerId: number;
let n = 0;
const allocations = async () => (await db.query(`SELECT count(*)::int AS n FROM allocation`))[0].n as number;

/** A JW301 from the standard's example: one product for `agb`, starting on `start`. */
async function jw301(agb: string, nr: number, start: string, code = '45A03') {
  const m = structuredClone(await exampleModel('JW301')) as JW301Bericht;
  m.Header.Ontvanger = agb;
  m.Header.Afzender = MUNICIPALITY;
  m.Header.BerichtIdentificatie.Identificatie = `STOP${++n}`;
  m.Client.Bsn = BSN2;
  const p = m.Client.ToegewezenProducten.ToegewezenProduct[0];
  m.Client.ToegewezenProducten.ToegewezenProduct = [
    {
      ...p,
      ReferentieAanbieder: undefined /* honours no request (TR379) */,
      ToewijzingNummer: nr,
      Product: { Categorie: '45', Code: code },
      Ingangsdatum: start,
      Einddatum: '2026-12-31',
      Omvang: { Volume: 2, Eenheid: '04', Frequentie: '2' },
    },
  ];
  return importMessage(db, Buffer.from(writeMessage('JW301', m)), { keys, today: TODAY });
}

beforeAll(async () => {
  ({ db, providerId } = await importFixture());
  const [{ id: other }] = await db.query(`INSERT INTO segment (region_id, code, name) VALUES ('test', 'VERBLIJF', 'Verblijf') RETURNING id`);
  await db.query(
    `INSERT INTO product (region_id, segment_id, category_code, code, name, unit, execution_variant, valid_from) VALUES ('test', $1, '45', '45A10', 'Verblijf', '04', 'inspanningsgericht', '2020-01-01')`,
    [other],
  );
  const [{ id: amb }] = await db.query(`SELECT id FROM segment WHERE code = 'AMB'`);
  await db.query(
    `INSERT INTO enforcement_step (region_id, provider_id, step, rung, on_date, reason, remedy_days, segment_id, decided_by) VALUES
    ('test', $1, 'waarschuwing', 1, '2026-03-01', 'wachttijden niet gemeld', NULL, NULL, 'Contractmanager'),
    ('test', $1, 'ingebrekestelling', 2, '2026-04-01', 'wachttijden niet gemeld', 14, NULL, 'Contractmanager'),
    ('test', $1, 'clientenstop', 3, '2026-05-01', 'wachttijden niet gemeld', NULL, $2, 'Contractmanager')`,
    [providerId, amb],
  );
}, 180_000);
afterAll(async () => {
  await db?.close();
});

describe('a client stop blocks new allocations', () => {
  it('refuses a new allocation in the stopped segment from the stop on, with a Dutch reason and a return code; nothing stored', async () => {
    const before = await allocations();
    const r = await jw301(PROVIDER, 50001, '2026-06-01');
    expect(r).toMatchObject({ type: 'JW301', status: 'afgewezen' });
    expect(r.findings).toEqual([
      expect.objectContaining({ code: 'BK010', retourcode: 'S329', location: '/Bericht/Client/ToegewezenProducten/ToegewezenProduct[1]/Ingangsdatum' }),
    ]);
    expect(r.findings[0].text).toBe('cliëntenstop voor deze aanbieder sinds 2026-05-01 voor Ambulant: geen nieuwe toewijzing met ingangsdatum 2026-06-01');
    expect(await allocations()).toBe(before);
    // on the stop's own date too
    expect((await jw301(PROVIDER, 50002, '2026-05-01')).status).toBe('afgewezen');
  });

  it('lets through: a start before the stop, another segment, another provider, and a change of an existing allocation', async () => {
    const before = await allocations();
    expect((await jw301(PROVIDER, 50003, '2026-04-30')).status).toBe('verwerkt');
    expect((await jw301(PROVIDER, 50004, '2026-06-01', '45A10')).status).toBe('verwerkt');
    expect((await jw301('99999999', 50005, '2026-06-01')).status).toBe('verwerkt');
    expect(await allocations()).toBe(before + 3);
    // 50003 exists: a change of it (same number, later start is not a new allocation) is stored
    expect((await jw301(PROVIDER, 50003, '2026-06-15')).status).toBe('verwerkt');
    expect(await allocations()).toBe(before + 3);
  });

  it('a stop for all segments blocks every segment; lifting the stop (ends_on) lets new allocations from that day through', async () => {
    expect(await clientStopFor(db, providerId, (await db.query(`SELECT id FROM product WHERE code = '45A03'`))[0].id, '2026-06-01')).toMatchObject({
      onDate: '2026-05-01',
      segmentCode: 'AMB',
      endsOn: null,
    });
    await db.query(`UPDATE enforcement_step SET ends_on = '2026-07-01' WHERE step = 'clientenstop'`);
    expect((await jw301(PROVIDER, 50006, '2026-06-30')).status).toBe('afgewezen');
    const lifted = await jw301(PROVIDER, 50007, '2026-07-01');
    expect(lifted.status).toBe('verwerkt');
    // a new stop on all segments (segment NULL) from 1 August
    await db.query(
      `INSERT INTO enforcement_step (region_id, provider_id, step, rung, on_date, reason, decided_by) VALUES ('test', $1, 'clientenstop', 3, '2026-08-01', 'opnieuw', 'Contractmanager')`,
      [providerId],
    );
    const r = await jw301(PROVIDER, 50008, '2026-08-01', '45A10');
    expect(r.status).toBe('afgewezen');
    expect(r.findings[0].text).toMatch(/voor alle segmenten/);
  });

  it('only a client stop can be lifted, and not before it starts', async () => {
    await expect(db.query(`UPDATE enforcement_step SET ends_on = '2026-12-01' WHERE step = 'waarschuwing'`)).rejects.toThrow(/enforcement_step_ends_after/);
    await expect(db.query(`UPDATE enforcement_step SET ends_on = '2026-04-01' WHERE step = 'clientenstop' AND on_date = '2026-05-01'`)).rejects.toThrow(
      /enforcement_step_ends_after/,
    );
  });
});
