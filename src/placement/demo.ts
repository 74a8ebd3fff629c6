// Demo data for the coordination point, on top of the register the demo generator made (src/demo: one location
// per provider, groups sized to its clients). Deterministic from the region's id and today's date: groups spread
// over a few locations in the region, profiles (ages, expertise, target groups), reported availability (some of
// it stale), a year of registrations with their dated steps (waiting, placed, ended, withdrawn, offered with a
// reservation), and waiting times published by providers, read through the same CSV import as a real file.
import type { Db } from '../db/index.ts';
import { Rng } from '../core/random.ts';
import { todayNl } from './requests.ts';
import { importProviderWaitingTimes } from './stats.ts';
import { ageOn } from './rules.ts';

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const chance = (rng: Rng, p: number) => rng.next() < p;
const pickSome = (rng: Rng, options: [string, number][]) => options.filter(([, p]) => chance(rng, p)).map(([c]) => c);

const EXPERTISE_BY_TYPE: Record<string, [string, number][]> = {
  pleeggezin: [
    ['hechting', 0.25],
    ['trauma', 0.15],
  ],
  gezinshuis: [
    ['hechting', 0.45],
    ['trauma', 0.35],
    ['lvb', 0.2],
    ['autisme', 0.15],
  ],
  specialistisch_wonen: [
    ['hechting', 0.55],
    ['trauma', 0.4],
    ['autisme', 0.3],
    ['lvb', 0.3],
    ['agressie', 0.25],
  ],
  behandelgroep: [
    ['psychiatrie', 0.45],
    ['agressie', 0.4],
    ['autisme', 0.3],
    ['lvb', 0.3],
    ['trauma', 0.3],
    ['verslaving', 0.12],
    ['eetstoornis', 0.06],
  ],
  crisis: [
    ['trauma', 0.3],
    ['agressie', 0.2],
  ],
  logeren: [
    ['autisme', 0.45],
    ['lvb', 0.45],
  ],
};
const TARGETS_BY_TYPE: Record<string, [string, number][]> = {
  pleeggezin: [
    ['broers_zussen', 0.3],
    ['jonge_kinderen', 0.35],
  ],
  gezinshuis: [['broers_zussen', 0.35]],
  specialistisch_wonen: [
    ['zelfstandigheid', 0.2],
    ['tienermoeders', 0.05],
  ],
};
const AGES: Record<string, [number, number][]> = {
  pleeggezin: [
    [0, 17],
    [0, 11],
    [4, 17],
  ],
  gezinshuis: [
    [4, 17],
    [0, 12],
    [12, 17],
  ],
  specialistisch_wonen: [
    [12, 17],
    [8, 17],
    [15, 17],
  ],
  behandelgroep: [
    [6, 12],
    [12, 17],
    [12, 17],
    [4, 17],
  ],
  crisis: [[0, 17]],
  logeren: [
    [4, 17],
    [6, 17],
  ],
};
/** Typical days from registration to placement, per kind (demo assumption, in the range the seeds mention: weeks to months). */
const WAIT_DAYS: Record<string, [number, number]> = {
  pleeggezin: [14, 120],
  gezinshuis: [30, 200],
  specialistisch_wonen: [30, 240],
  behandelgroep: [14, 150],
  crisis: [0, 1],
  logeren: [7, 60],
};
const STAY_DAYS: Record<string, [number, number]> = {
  pleeggezin: [60, 400],
  gezinshuis: [90, 400],
  specialistisch_wonen: [60, 360],
  behandelgroep: [60, 300],
  crisis: [5, 80],
  logeren: [14, 90],
};
const ASKED: [string, number][] = [
  ['pleeggezin', 22],
  ['gezinshuis', 20],
  ['specialistisch_wonen', 15],
  ['behandelgroep', 20],
  ['crisis', 15],
  ['logeren', 8],
];
const REQUESTS_PER_REGION: Record<string, number> = { twente: 90, achterhoek: 45, 'midden-ijssel-oost-veluwe': 45 };

interface G {
  id: number;
  type: string;
  physical: number;
  staffed: number;
  occupied: number;
  reserved: number;
  placed: number;
  providerId: number;
  providerName: string;
}

/** Loads the demo for each region that has groups and no coordination-point data yet. Fast: a few bulk statements per region. */
export async function loadPlacementDemo(db: Db, regionIds: readonly string[], now = new Date()): Promise<void> {
  for (const regionId of regionIds) await db.transaction((tx) => loadRegion(tx, regionId, now));
}

async function loadRegion(db: Db, regionId: string, now: Date) {
  const [{ done }] = await db.query(`SELECT EXISTS (SELECT 1 FROM placement_request WHERE region_id = $1) AS done`, [regionId]);
  if (done) return;
  const today = todayNl(now);
  const rng = new Rng(`placement-${regionId}-${today}`);
  const munis = await db.query<{ code: string; name: string }>(`SELECT trim(code) AS code, name FROM municipality WHERE region_id = $1 ORDER BY code`, [
    regionId,
  ]);
  const rows = await db.query(
    `SELECT g.id, g.group_type, g.places_physical, l.id AS location_id, trim(l.municipality_code) AS municipality, l.provider_id, pr.name AS provider_name
     FROM care_group g JOIN location l ON l.id = g.location_id JOIN municipality m ON m.code = l.municipality_code JOIN provider pr ON pr.id = l.provider_id
     WHERE m.region_id = $1 ORDER BY l.provider_id, g.id`,
    [regionId],
  );
  if (!rows.length || !munis.length) return;

  // 1. a provider's groups over a few locations in the region (one per ~5 groups), round robin
  const byProvider = new Map<number, any[]>();
  for (const r of rows) {
    if (!byProvider.has(r.provider_id)) byProvider.set(r.provider_id, []);
    byProvider.get(r.provider_id)!.push(r);
  }
  const newLocations: { provider: number; municipality: string; name: string; groups: number[] }[] = [];
  for (const [provider, groups] of byProvider) {
    const k = Math.min(munis.length, Math.max(1, Math.ceil(groups.length / 5)));
    const others = rng.shuffle(munis.filter((m) => m.code !== groups[0].municipality));
    for (let j = 1; j < k; j++) {
      const m = others[(j - 1) % others.length];
      newLocations.push({ provider, municipality: m.code, name: `Locatie ${m.name} ${j}`, groups: groups.filter((_, i) => i % k === j).map((g) => g.id) });
    }
  }
  if (newLocations.length) {
    const ids = await db.query<{ id: number }>(
      `INSERT INTO location (provider_id, name, municipality_code) SELECT * FROM unnest($1::int[], $2::text[], $3::text[]) RETURNING id`,
      [newLocations.map((l) => l.provider), newLocations.map((l) => l.name), newLocations.map((l) => l.municipality)],
    );
    const groupIds: number[] = [],
      locationIds: number[] = [];
    newLocations.forEach((l, i) => {
      for (const g of l.groups) {
        groupIds.push(g);
        locationIds.push(ids[i].id);
      }
    });
    await db.query(`UPDATE care_group g SET location_id = u.l FROM unnest($1::int[], $2::int[]) AS u(g, l) WHERE g.id = u.g`, [groupIds, locationIds]);
  }

  // 2. profile and reported availability
  const groups: G[] = [];
  const profile = {
    id: [] as number[],
    ageMin: [] as number[],
    ageMax: [] as number[],
    gender: [] as string[],
    expertise: [] as string[],
    targets: [] as string[],
    staffed: [] as number[],
    occupied: [] as number[],
    intake: [] as boolean[],
    at: [] as string[],
    by: [] as string[],
  };
  for (const r of rows) {
    const type = r.group_type as string;
    const [ageMin, ageMax] = rng.pick(AGES[type] ?? [[4, 17]]);
    const gender = (type === 'behandelgroep' || type === 'specialistisch_wonen') && chance(rng, 0.2) ? rng.pick(['jongens', 'meisjes']) : 'gemengd';
    const physical = r.places_physical as number;
    const short = type === 'pleeggezin' ? 0 : rng.weighted([75, 18, 7]);
    const staffed = Math.max(Math.min(1, physical), physical - short);
    const free = Math.min(staffed, rng.weighted([55, 25, 12, 8]));
    const hoursAgo = chance(rng, 0.7) ? rng.int(0, 20) : chance(rng, 0.67) ? rng.int(20, 46) : rng.int(50, 500);
    groups.push({
      id: r.id,
      type,
      physical,
      staffed,
      occupied: staffed - free,
      reserved: 0,
      placed: 0,
      providerId: r.provider_id,
      providerName: r.provider_name,
    });
    profile.id.push(r.id);
    profile.ageMin.push(ageMin);
    profile.ageMax.push(ageMax);
    profile.gender.push(gender);
    profile.expertise.push(`{${pickSome(rng, EXPERTISE_BY_TYPE[type] ?? []).join(',')}}`);
    profile.targets.push(
      `{${pickSome(
        rng,
        (TARGETS_BY_TYPE[type] ?? []).filter(([t]) => t !== 'zelfstandigheid' || ageMin >= 15),
      ).join(',')}}`,
    );
    profile.staffed.push(staffed);
    profile.occupied.push(staffed - free);
    profile.intake.push(!chance(rng, 0.05));
    profile.at.push(new Date(now.getTime() - hoursAgo * 3600_000 - rng.int(0, 3599) * 1000).toISOString());
    profile.by.push(`Planning ${r.provider_name}`);
  }
  await db.query(
    `UPDATE care_group g SET age_min = u.amin, age_max = u.amax, gender = u.gender, expertise = u.exp::text[], target_groups = u.tg::text[],
            places_staffed = u.staffed, places_occupied = u.occupied, intake_open = u.intake,
            availability_version = 1, availability_updated_at = u.at, availability_updated_by_name = u.by
     FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[], $9::boolean[], $10::timestamptz[], $11::text[])
          AS u(id, amin, amax, gender, exp, tg, staffed, occupied, intake, at, by)
     WHERE g.id = u.id`,
    [
      profile.id,
      profile.ageMin,
      profile.ageMax,
      profile.gender,
      profile.expertise,
      profile.targets,
      profile.staffed,
      profile.occupied,
      profile.intake,
      profile.at,
      profile.by,
    ],
  );
  await db.query(
    `INSERT INTO availability_update (group_id, version, places_staffed, places_occupied, intake_open, at)
     SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::boolean[], $6::timestamptz[])`,
    [profile.id, profile.id.map(() => 1), profile.staffed, profile.occupied, profile.intake, profile.at],
  );

  // 3. a year of registrations
  const youths = await db.query(
    `SELECT y.id, y.birth_date, y.gender, trim(y.municipality_code) AS municipality FROM youth y JOIN municipality m ON m.code = y.municipality_code
     WHERE m.region_id = $1 AND y.birth_date BETWEEN $2::date AND $3::date ORDER BY y.id LIMIT 3000`,
    [regionId, addDays(today, -17 * 365), addDays(today, -3 * 365)],
  );
  const typesHere = new Set(groups.map((g) => g.type));
  const asked = ASKED.filter(([t]) => typesHere.has(t));
  const [largest] = await db.query<{ id: number }>(
    `SELECT d.provider_id AS id FROM declaration_line d JOIN municipality m ON m.code = d.municipality_code
     WHERE m.region_id = $1 GROUP BY d.provider_id ORDER BY sum(d.amount_cents) DESC, d.provider_id LIMIT 1`,
    [regionId],
  );
  const pool = rng.shuffle([...youths]).slice(0, REQUESTS_PER_REGION[regionId] ?? 40);
  const req = {
    youth: [] as number[],
    muni: [] as string[],
    types: [] as string[],
    exp: [] as string[],
    tg: [] as string[],
    urgency: [] as string[],
    status: [] as string[],
    registered: [] as string[],
    placed: [] as (string | null)[],
    group: [] as (number | null)[],
    ended: [] as (string | null)[],
    withdrawn: [] as (string | null)[],
  };
  const steps: { i: number; on: string; from: string | null; to: string; group: number | null; note: string }[] = [];
  const reservations: { i: number; group: number; status: string; createdOn: string; expiresHours: number | null }[] = [];
  const ageRange = new Map(profile.id.map((id, k) => [id, [profile.ageMin[k], profile.ageMax[k]]]));
  const fits = (g: G, birth: string, on: string) => {
    const a = ageOn(birth, on),
      [lo, hi] = ageRange.get(g.id)!;
    return a >= lo && a <= hi;
  };
  let offeredToLargest = false;
  // a queue: every youth once; a crisis stay that ends may be followed by a request for a next place (doorstroom)
  const queue: { y: any; type?: string; registered?: string; placedFrom?: string }[] = pool.map((y) => ({ y }));
  while (queue.length && asked.length) {
    const { y, ...given } = queue.shift()!;
    const type = given.type ?? asked[rng.weighted(asked.map(([, w]) => w))][0];
    const alt = type === 'pleeggezin' ? 'gezinshuis' : type === 'gezinshuis' ? 'specialistisch_wonen' : null;
    const careTypes = alt && typesHere.has(alt) && chance(rng, 0.4) ? [type, alt] : [type];
    const registered = given.registered ?? addDays(today, -rng.int(0, 365));
    if (ageOn(y.birth_date, registered) < 0) continue;
    const i = req.youth.length;
    const add = (status: string, placed: string | null, group: number | null, ended: string | null, withdrawn: string | null) => {
      req.youth.push(y.id);
      req.muni.push(y.municipality);
      req.types.push(`{${careTypes.join(',')}}`);
      req.exp.push(
        `{${pickSome(
          rng,
          (EXPERTISE_BY_TYPE[type] ?? []).map(([c, p]) => [c, p * 0.6] as [string, number]),
        )
          .slice(0, 2)
          .join(',')}}`,
      );
      req.tg.push(type === 'pleeggezin' && chance(rng, 0.15) ? '{broers_zussen}' : '{}');
      req.urgency.push(type === 'crisis' ? 'spoed' : chance(rng, 0.25) ? 'hoog' : 'normaal');
      req.status.push(status);
      req.registered.push(registered);
      req.placed.push(placed);
      req.group.push(group);
      req.ended.push(ended);
      req.withdrawn.push(withdrawn);
      steps.push({ i, on: registered, from: null, to: 'aangemeld', group: null, note: given.placedFrom ? 'Vervolgplek na crisis' : '' });
    };
    const [wMin, wMax] = WAIT_DAYS[type];
    const wait = rng.int(wMin, wMax);
    const placedOn = given.placedFrom && given.placedFrom > registered ? given.placedFrom : addDays(registered, wait);
    const roll = rng.next();
    const withdrawnOn = addDays(registered, rng.int(3, 60));
    if (roll < 0.08 && withdrawnOn <= today) {
      add('ingetrokken', null, null, null, withdrawnOn);
      steps.push({ i, on: withdrawnOn, from: 'aangemeld', to: 'ingetrokken', group: null, note: 'Zorg thuis bleek mogelijk' });
      continue;
    }
    if (placedOn <= today && (roll < 0.85 || type === 'crisis')) {
      // a crisis bed is found within a day or two
      const [sMin, sMax] = STAY_DAYS[type];
      const endOn = addDays(placedOn, rng.int(sMin, sMax));
      const ended = endOn <= today && chance(rng, type === 'crisis' ? 0.8 : 0.45) ? endOn : null;
      const candidates = groups.filter((g) => careTypes.includes(g.type) && fits(g, y.birth_date, placedOn) && (ended || g.placed < g.occupied));
      if (candidates.length) {
        const g = rng.pick(candidates);
        if (!ended) g.placed++;
        add(ended ? 'beeindigd' : 'geplaatst', placedOn, g.id, ended, null);
        const offered = addDays(placedOn, -Math.min(wait, rng.int(0, 2)));
        if (type !== 'crisis')
          steps.push({
            i,
            on: addDays(registered, Math.min(rng.int(0, 3), Math.round((Date.parse(offered) - Date.parse(registered)) / 86_400_000))),
            from: 'aangemeld',
            to: 'in_behandeling',
            group: null,
            note: '',
          });
        steps.push(
          { i, on: offered, from: type !== 'crisis' ? 'in_behandeling' : 'aangemeld', to: 'aangeboden', group: g.id, note: '' },
          { i, on: placedOn, from: 'aangeboden', to: 'geplaatst', group: g.id, note: '' },
        );
        reservations.push({ i, group: g.id, status: 'omgezet', createdOn: offered, expiresHours: null });
        if (ended) {
          const next = type === 'crisis' && chance(rng, 0.5) ? asked.find(([t]) => t !== 'crisis' && t !== 'logeren' && chance(rng, 0.5))?.[0] : undefined;
          steps.push({ i, on: ended, from: 'geplaatst', to: 'beeindigd', group: g.id, note: next ? 'Door naar vervolgplek' : 'Terug naar huis' });
          if (next) queue.push({ y, type: next, registered: addDays(placedOn, rng.int(1, 5)), placedFrom: addDays(ended, rng.int(0, 3)) });
        }
        continue;
      }
    }
    // still waiting: new, being handled, or offered with a reservation holding a place (the largest provider gets one offer)
    const status = registered >= addDays(today, -10) && chance(rng, 0.6) ? 'aangemeld' : chance(rng, 0.7) ? 'in_behandeling' : 'aangeboden';
    const open =
      status === 'aangemeld'
        ? []
        : groups.filter((g) => careTypes.includes(g.type) && g.staffed - g.occupied - g.reserved >= 1 && fits(g, y.birth_date, today));
    const offerGroup =
      (!offeredToLargest && open.find((g) => g.providerId === largest?.id)) || (status === 'aangeboden' && open.length ? rng.pick(open) : undefined);
    const handled = addDays(registered, 1) > today ? today : addDays(registered, 1);
    if (offerGroup) {
      offerGroup.reserved++;
      if (offerGroup.providerId === largest?.id) offeredToLargest = true;
      add('aangeboden', null, null, null, null);
      steps.push(
        { i, on: handled, from: 'aangemeld', to: 'in_behandeling', group: null, note: '' },
        { i, on: today, from: 'in_behandeling', to: 'aangeboden', group: offerGroup.id, note: '' },
      );
      reservations.push({ i, group: offerGroup.id, status: 'actief', createdOn: today, expiresHours: rng.int(4, 46) });
    } else if (status === 'aangemeld') {
      add('aangemeld', null, null, null, null);
    } else {
      add('in_behandeling', null, null, null, null);
      steps.push({ i, on: handled, from: 'aangemeld', to: 'in_behandeling', group: null, note: '' });
    }
  }
  if (!req.youth.length) return;
  const ids = await db.query<{ id: number }>(
    `INSERT INTO placement_request (region_id, youth_id, municipality_code, care_types, expertise, target_groups, urgency, status,
                                    registered_on, placed_on, placed_group_id, ended_on, withdrawn_on)
     SELECT $1, u.youth, u.muni, u.types::text[], u.exp::text[], u.tg::text[], u.urgency, u.status, u.registered, u.placed, u.grp, u.ended, u.withdrawn
     FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::date[], $10::date[], $11::int[], $12::date[], $13::date[])
       AS u(youth, muni, types, exp, tg, urgency, status, registered, placed, grp, ended, withdrawn)
     RETURNING id`,
    [regionId, req.youth, req.muni, req.types, req.exp, req.tg, req.urgency, req.status, req.registered, req.placed, req.group, req.ended, req.withdrawn],
  );
  // unnest keeps the order of its arrays, and RETURNING the order of the rows it inserted
  const requestId = (i: number) => ids[i].id;
  await db.query(
    `INSERT INTO placement_request_event (request_id, on_date, from_status, to_status, group_id, note)
     SELECT * FROM unnest($1::bigint[], $2::date[], $3::text[], $4::text[], $5::int[], $6::text[])`,
    [
      steps.map((s) => requestId(s.i)),
      steps.map((s) => s.on),
      steps.map((s) => s.from),
      steps.map((s) => s.to),
      steps.map((s) => s.group),
      steps.map((s) => s.note),
    ],
  );
  await db.query(
    `INSERT INTO placement_reservation (request_id, group_id, places, status, created_at, expires_at, closed_at)
     SELECT u.r, u.g, 1, u.s, u.c::timestamptz, CASE WHEN u.h IS NULL THEN u.c::timestamptz + interval '48 hours' ELSE now() + make_interval(hours => u.h) END,
            CASE WHEN u.s = 'actief' THEN NULL ELSE u.c::timestamptz + interval '1 day' END
     FROM unnest($1::bigint[], $2::int[], $3::text[], $4::date[], $5::int[]) AS u(r, g, s, c, h)`,
    [
      reservations.map((r) => requestId(r.i)),
      reservations.map((r) => r.group),
      reservations.map((r) => r.status),
      reservations.map((r) => r.createdOn),
      reservations.map((r) => r.expiresHours),
    ],
  );

  // 4. waiting times as providers publish them, through the CSV import
  const lines = ['aanbieder;aanbod;type;locatie;doelgroep;expertise;financiering;weken tot intake;weken tot behandeling;datum'];
  const providers = [...new Map(groups.map((g) => [g.providerId, g])).values()].slice(0, 12);
  const agb = await db.query<{ id: number; agb_code: string }>(`SELECT id, agb_code FROM provider WHERE id = ANY($1::int[])`, [
    providers.map((p) => p.providerId),
  ]);
  for (const p of providers) {
    const code = agb.find((a) => a.id === p.providerId)!.agb_code;
    for (const type of [...new Set(groups.filter((g) => g.providerId === p.providerId).map((g) => g.type))].slice(0, 3)) {
      const intake = rng.int(1, 26) / (chance(rng, 0.3) ? 2 : 1);
      lines.push(
        [
          code,
          `${type.replace('_', ' ')} ${p.providerName}`,
          type,
          '',
          '',
          '',
          'Jeugdwet',
          String(intake).replace('.', ','),
          String(intake + rng.int(0, 12)),
          addDays(today, -rng.int(0, 40)),
        ].join(';'),
      );
    }
  }
  const report = await importProviderWaitingTimes(db, regionId, null, 'demo-wachttijden.csv', lines.join('\n'), today);
  if (report.errors.length) throw new Error(`demo wachttijden: ${JSON.stringify(report.errors.slice(0, 3))}`);
}
