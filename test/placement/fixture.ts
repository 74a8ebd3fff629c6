// A small, fixed world for the coordination point's tests: Twente's preset, two providers with groups in
// Enschede, Hengelo and Almelo, four youths, an account per role, and the real server over it (PGlite, or a
// fresh database on TEST_DATABASE_URL). Fast: no demo generator.
import { testDb } from '../helpers/db.ts';
import { TEST_KEY } from '../helpers/app.ts';
import { loadConfig } from '../../src/config.ts';
import { bsnKeys, encryptBsn, bsnLookupHash } from '../../src/core/bsn.ts';
import { buildServer } from '../../src/http/server.ts';
import { loadReferenceData, loadRegionPreset } from '../../src/catalog/index.ts';
import { createAccount, createSession } from '../../src/access/store.ts';
import type { Db } from '../../src/db/index.ts';

export const ROLE_USERS = ['regio', 'coordinator', 'gemeente', 'gemeente2', 'aanbieder', 'aanbieder2'] as const;
export type User = (typeof ROLE_USERS)[number];

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const yearsAgo = (years: number, extraDays = 40) => daysAgo(Math.round(years * 365.25) + extraDays);

export interface World {
  db: Db;
  server: Awaited<ReturnType<typeof buildServer>>;
  providers: { A: number; B: number };
  groups: Record<'pleeggezin' | 'zon' | 'maan' | 'ster' | 'noord' | 'crisis' | 'meiden', number>;
  youths: Record<'y1' | 'y2' | 'y3' | 'y4', number>;
  bsn: Record<'y1' | 'y2' | 'y3' | 'y4', string>;
  cookie: Record<User, string>;
  call(
    user: User | null,
    method: string,
    url: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: any; body: string; headers: Record<string, any> }>;
  close(): Promise<void>;
}

export async function world(): Promise<World> {
  const db = await testDb();
  await loadReferenceData(db);
  await loadRegionPreset(db, 'twente');
  const keys = bsnKeys(TEST_KEY);
  const seg = async (code: string) => (await db.query(`SELECT id FROM segment WHERE region_id = 'twente' AND code = $1`, [code]))[0].id;
  const product = async (code: string) => (await db.query(`SELECT id FROM product WHERE region_id = 'twente' AND code = $1`, [code]))[0].id;
  const [A] = await db.query(`INSERT INTO provider (agb_code, name, home_municipality_code) VALUES ('11110001', 'Alfa Jeugdzorg', '0153') RETURNING id`);
  const [B] = await db.query(`INSERT INTO provider (agb_code, name, home_municipality_code) VALUES ('11110002', 'Beta Gezinshuizen', '0141') RETURNING id`);
  for (const p of [A.id, B.id])
    for (const s of ['WON', 'VBL', 'CRI']) {
      await db.query(`INSERT INTO contract (region_id, provider_id, segment_id, funding_form, valid_from) VALUES ('twente', $1, $2, 'pq', '2024-01-01')`, [
        p,
        await seg(s),
      ]);
    }
  const loc = async (provider: number, name: string, m: string) =>
    (await db.query(`INSERT INTO location (provider_id, name, municipality_code) VALUES ($1,$2,$3) RETURNING id`, [provider, name, m]))[0].id;
  const la1 = await loc(A.id, 'Alfa Enschede', '0153'),
    la2 = await loc(A.id, 'Alfa Hengelo', '0164');
  const lb1 = await loc(B.id, 'Beta Almelo', '0141'),
    lb2 = await loc(B.id, 'Beta Enschede', '0153');
  const group = async (
    location: number,
    name: string,
    type: string,
    productCode: string,
    p: [number, number, number],
    ages: [number, number],
    gender: string,
    expertise: string[],
    targets: string[],
    updatedDaysAgo = 0,
  ) =>
    (
      await db.query(
        `INSERT INTO care_group (location_id, name, group_type, product_id, places_physical, places_contracted, places_staffed, places_occupied, roster_hours_week,
                               age_min, age_max, gender, expertise, target_groups, availability_version, availability_updated_at, availability_updated_by_name)
       VALUES ($1,$2,$3,$4,$5,$5,$6,$7,$8,$9,$10,$11,$12,$13,1, now() - make_interval(days => $14), 'Planning')
       RETURNING id`,
        [
          location,
          name,
          type,
          await product(productCode),
          p[0],
          p[1],
          p[2],
          type === 'pleeggezin' ? null : p[0] * 3.2 * 7,
          ages[0],
          ages[1],
          gender,
          expertise,
          targets,
          updatedDaysAgo,
        ],
      )
    )[0].id;
  const groups = {
    pleeggezin: await group(lb2, 'Pleeggezin De Boer', 'pleeggezin', '44B06', [2, 2, 1], [0, 17], 'gemengd', [], ['broers_zussen']),
    zon: await group(lb1, 'Gezinshuis Zon', 'gezinshuis', '43A10', [4, 4, 2], [4, 17], 'gemengd', ['hechting', 'trauma'], []),
    maan: await group(la1, 'Gezinshuis Maan', 'gezinshuis', '43A10', [4, 4, 3], [4, 17], 'gemengd', ['hechting'], []),
    ster: await group(la2, 'Woongroep Ster', 'specialistisch_wonen', '43A36', [8, 6, 4], [12, 17], 'gemengd', ['hechting', 'trauma', 'autisme'], []),
    noord: await group(la1, 'Behandelgroep Noord', 'behandelgroep', '43A37', [8, 8, 8], [12, 17], 'gemengd', ['psychiatrie'], []),
    crisis: await group(la2, 'Crisisgroep Hengelo', 'crisis', '46A03', [6, 5, 2], [0, 17], 'gemengd', [], []),
    meiden: await group(lb1, 'Meidengroep Almelo', 'specialistisch_wonen', '43A36', [6, 6, 3], [12, 17], 'meisjes', ['hechting', 'trauma'], [], 10),
  };
  const bsn = { y1: '111222333', y2: '123456782', y3: '100000009', y4: '999999990' };
  const youth = async (b: string, pseudonym: string, birth: string, gender: string, m: string) =>
    (
      await db.query(`INSERT INTO youth (bsn_encrypted, bsn_hash, pseudonym, birth_date, gender, municipality_code) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, [
        encryptBsn(keys, b),
        bsnLookupHash(keys, b),
        pseudonym,
        birth,
        gender,
        m,
      ])
    )[0].id;
  const youths = {
    y1: await youth(bsn.y1, 'J-T000001', yearsAgo(12), '1', '0153'),
    y2: await youth(bsn.y2, 'J-T000002', yearsAgo(8), '2', '0153'),
    y3: await youth(bsn.y3, 'J-T000003', yearsAgo(15), '2', '0164'),
    y4: await youth(bsn.y4, 'J-T000004', yearsAgo(16), '1', '0153'),
  };
  const specs: Record<User, { role: any; municipalityCode?: string; providerId?: number; displayName: string }> = {
    regio: { role: 'regio', displayName: 'Inkoop Twente' },
    coordinator: { role: 'coordinator', displayName: 'Coördinatiepunt Twente' },
    gemeente: { role: 'gemeente', municipalityCode: '0153', displayName: 'Enschede' },
    gemeente2: { role: 'gemeente', municipalityCode: '0164', displayName: 'Hengelo' },
    aanbieder: { role: 'aanbieder', providerId: A.id, displayName: 'Planner Alfa' },
    aanbieder2: { role: 'aanbieder', providerId: B.id, displayName: 'Planner Beta' },
  };
  const cookie = {} as Record<User, string>;
  for (const [username, s] of Object.entries(specs) as [User, (typeof specs)[User]][]) {
    const id = await createAccount(db, { username, password: 'een-lang-wachtwoord', ...s });
    cookie[username] = `rk_session=${(await createSession(db, id)).token}`;
  }
  const config = loadConfig({ dataDir: 'memory://', demo: false, bsnKey: TEST_KEY, secureCookies: true });
  const server = await buildServer({ db, config, keys });
  await server.ready();
  return {
    db,
    server,
    providers: { A: A.id, B: B.id },
    groups,
    youths,
    bsn,
    cookie,
    async call(user, method, url, payload, headers = {}) {
      const res = await server.inject({
        method: method as any,
        url,
        payload: payload as any,
        headers: { ...(user ? { cookie: cookie[user] } : {}), ...headers },
      });
      let json: any = null;
      try {
        json = res.json();
      } catch {
        /* not json */
      }
      return { status: res.statusCode, json, body: res.body, headers: res.headers };
    },
    async close() {
      await server.close();
      await db.close();
    },
  };
}

export { daysAgo };
