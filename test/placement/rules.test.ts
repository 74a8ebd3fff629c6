// The coordination point's rules with fixed cases: place arithmetic, traffic light, staleness, intensity bands,
// the request state machine, matching and its reasons, distances, and reading providers' waiting-time CSVs.
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  availabilityProblem,
  freePlaces,
  intensity,
  isStale,
  rankProposals,
  trafficLight,
  transitionProblem,
  type MatchGroup,
  type MatchRequest,
} from '../../src/placement/rules.ts';
import { distanceKm } from '../../src/placement/geo.ts';
import { parseWaitingCsv } from '../../src/placement/csv.ts';
import { splitCsv } from '../../src/core/csv.ts';

describe('places', () => {
  it('an empty bed is not an available bed: free = staffed − occupied − reserved', () => {
    expect(freePlaces({ physical: 8, staffed: 6, occupied: 4, reserved: 1 })).toBe(1); // 2 beds have no staff
    expect(freePlaces({ physical: 8, staffed: 6, occupied: 6, reserved: 0 })).toBe(0);
    expect(freePlaces({ physical: 8, staffed: 6, occupied: 5, reserved: 3 })).toBe(0); // never below zero
  });
  it('traffic light: closed when nothing is free or intake stopped; limited at one place or under a quarter; open otherwise', () => {
    expect(trafficLight({ physical: 8, staffed: 8, occupied: 8, reserved: 0 }, true)).toBe('closed');
    expect(trafficLight({ physical: 8, staffed: 8, occupied: 2, reserved: 0 }, false)).toBe('closed');
    expect(trafficLight({ physical: 8, staffed: 8, occupied: 7, reserved: 0 }, true)).toBe('limited');
    expect(trafficLight({ physical: 10, staffed: 10, occupied: 8, reserved: 0 }, true)).toBe('limited'); // 2 of 10 < 25%
    expect(trafficLight({ physical: 8, staffed: 8, occupied: 6, reserved: 0 }, true)).toBe('open'); // 2 of 8 = 25%
    expect(trafficLight({ physical: 2, staffed: 2, occupied: 0, reserved: 0 }, true)).toBe('open');
    expect(trafficLight({ physical: 8, staffed: 8, occupied: 5, reserved: 2 }, true)).toBe('limited');
  });
  it("stale: never reported, or older than the region's limit", () => {
    const now = new Date('2025-03-10T12:00:00Z');
    expect(isStale(null, now, 48)).toBe(true);
    expect(isStale('2025-03-08T12:00:00Z', now, 48)).toBe(false);
    expect(isStale('2025-03-08T11:59:00Z', now, 48)).toBe(true);
    expect(isStale('2025-03-10T01:00:00Z', now, 8)).toBe(true);
  });
  it('verblijfsintensiteit: roster hours per youth per day, in bands (001 §2: 200 h / 6 places / 7 days = 3.6)', () => {
    expect(intensity(200, 6)).toEqual({ hoursPerDay: 4.76, band: 'IV' });
    expect(intensity(151.2, 6)).toEqual({ hoursPerDay: 3.6, band: 'III' });
    expect(intensity(84, 4)).toEqual({ hoursPerDay: 3, band: 'II' });
    expect(intensity(null, 4)).toBeNull();
  });
  it('a report is refused when it cannot be true, naming why', () => {
    expect(availabilityProblem({ staffed: 9, occupied: 2 }, 8, 0)).toMatch(/fysieke plekken \(8\)/);
    expect(availabilityProblem({ staffed: 6, occupied: 7 }, 8, 0)).toMatch(/bezette plek is bemenst/);
    expect(availabilityProblem({ staffed: 6, occupied: 5 }, 8, 2)).toMatch(/2 plekken gereserveerd; bemenst \(6\) moet minstens bezet \+ gereserveerd \(7\)/);
    expect(availabilityProblem({ staffed: 6, occupied: 4 }, 8, 2)).toBeNull();
  });
});

describe('the request state machine', () => {
  const today = '2025-05-20';
  it('allows the steps from their states, by their roles, on dates not before the last step nor in the future', () => {
    expect(transitionProblem('oppakken', 'aangemeld', 'coordinator', today, '2025-05-01', today)).toBeNull();
    expect(transitionProblem('aanbieden', 'in_behandeling', 'coordinator', today, '2025-05-01', today)).toBeNull();
    expect(transitionProblem('plaatsen', 'aangeboden', 'aanbieder', today, '2025-05-19', today)).toBeNull();
    expect(transitionProblem('intrekken', 'in_behandeling', 'gemeente', today, '2025-05-19', today)).toBeNull();
    expect(transitionProblem('beeindigen', 'geplaatst', 'aanbieder', today, '2025-01-01', today)).toBeNull();
  });
  it('refuses a step from the wrong state, by the wrong role, or with the wrong date', () => {
    expect(transitionProblem('plaatsen', 'in_behandeling', 'coordinator', today, '2025-05-01', today)).toMatchObject({ kind: 'status' });
    expect(transitionProblem('intrekken', 'geplaatst', 'coordinator', today, '2025-05-01', today)).toMatchObject({ kind: 'status' });
    expect(transitionProblem('aanbieden', 'in_behandeling', 'gemeente', today, '2025-05-01', today)).toMatchObject({ kind: 'role' });
    expect(transitionProblem('intrekken', 'aangemeld', 'aanbieder', today, '2025-05-01', today)).toMatchObject({ kind: 'role' });
    expect(transitionProblem('oppakken', 'aangemeld', 'coordinator', '2025-04-30', '2025-05-01', today)).toMatchObject({
      kind: 'date',
      message: expect.stringMatching(/vóór de vorige stap/),
    });
    expect(transitionProblem('oppakken', 'aangemeld', 'coordinator', '2025-05-21', '2025-05-01', today)).toMatchObject({
      kind: 'date',
      message: expect.stringMatching(/toekomst/),
    });
  });
  it('counts age in whole years on the day', () => {
    expect(ageOn('2013-05-21', '2025-05-20')).toBe(11);
    expect(ageOn('2013-05-20', '2025-05-20')).toBe(12);
    expect(ageOn('2012-02-29', '2025-02-28')).toBe(12);
  });
});

describe('matching', () => {
  // Enschede is home. Distances: Enschede–Hengelo ≈ 8 km, Enschede–Almelo ≈ 24 km (approximate centres).
  const g = (over: Partial<MatchGroup> & Pick<MatchGroup, 'groupId' | 'groupType'>): MatchGroup => ({
    name: `Groep ${over.groupId}`,
    providerName: 'Aanbieder',
    locationName: 'Locatie',
    municipalityName: 'Enschede',
    ageMin: 0,
    ageMax: 17,
    gender: 'gemengd',
    offers: [],
    free: 1,
    intakeOpen: true,
    stale: false,
    distanceKm: 0,
    distanceApproximate: false,
    ...over,
  });
  const request: MatchRequest = {
    ageYears: 12,
    gender: '1',
    careTypes: ['pleeggezin', 'gezinshuis', 'specialistisch_wonen'],
    needs: ['hechting'],
    placesNeeded: 1,
    maxDistanceKm: null,
    keepSchool: false,
  };
  const groups = [
    g({ groupId: 1, groupType: 'pleeggezin', offers: ['broers_zussen'], distanceKm: 0 }),
    g({ groupId: 2, groupType: 'gezinshuis', offers: ['hechting', 'trauma'], distanceKm: 24.2, free: 2, municipalityName: 'Almelo' }),
    g({ groupId: 3, groupType: 'gezinshuis', offers: ['hechting'], distanceKm: 0 }),
    g({ groupId: 4, groupType: 'specialistisch_wonen', offers: ['hechting', 'trauma', 'autisme'], distanceKm: 8.4, free: 2, ageMin: 12 }),
    g({ groupId: 5, groupType: 'behandelgroep', offers: ['psychiatrie'] }),
    g({ groupId: 6, groupType: 'gezinshuis', offers: ['hechting'], free: 0 }),
    g({ groupId: 7, groupType: 'specialistisch_wonen', offers: ['hechting'], gender: 'meisjes' }),
    g({ groupId: 8, groupType: 'gezinshuis', offers: ['hechting'], ageMin: 14 }),
    g({ groupId: 9, groupType: 'gezinshuis', offers: ['hechting'], intakeOpen: false }),
    g({ groupId: 10, groupType: 'gezinshuis', offers: ['hechting'], distanceKm: 0, stale: true, free: 3 }),
  ];

  it('ranks on fit first, then precedence, then reliable (not stale) figures, then distance, and says why for every rank', () => {
    const { proposals, excluded, considered } = rankProposals(request, groups, 'Enschede');
    expect(considered).toBe(10);
    expect(proposals.map((p) => p.groupId)).toEqual([3, 2, 10, 4, 1]);
    expect(proposals[0].rankReason).toBe('Eerste keus: past volledig op zorgbehoefte, gezinshuis gaat voor, 0 km van huis');
    expect(proposals[1].rankReason).toBe('Even passend als #1, maar verder van huis (24 km tegen 0 km)');
    expect(proposals[2].rankReason).toBe('Even passend als #2, maar de beschikbaarheid is verouderd');
    expect(proposals[3].rankReason).toBe('Even passend als #3, maar gezinshuis gaat voor specialistisch wonen');
    expect(proposals[4].rankReason).toBe('Minder passend op zorgbehoefte dan #4 (mist 1 tegen 0)');
    expect(proposals[4].missing).toEqual(['hechting']);
    expect(proposals[2].reasons).toContain('Beschikbaarheid verouderd: eerst navragen');
    expect(proposals[1].reasons).toContain('24 km van Enschede');
    expect(excluded).toEqual({ type: 1, age: 1, gender: 1, intake: 1, full: 1, distance: 0 });
  });

  it('pleegzorg goes before gezinshuis when both fit equally', () => {
    const { proposals } = rankProposals({ ...request, needs: [] }, [groups[2], groups[0]], 'Enschede');
    expect(proposals.map((p) => p.groupId)).toEqual([1, 3]);
    expect(proposals[1].rankReason).toMatch(/pleeggezin gaat voor gezinshuis/);
  });

  it('siblings need as many free places; a distance limit or keeping the school leaves out what is far', () => {
    expect(rankProposals({ ...request, placesNeeded: 2 }, groups, 'Enschede').proposals.map((p) => p.groupId)).toEqual([2, 10, 4]);
    const near = rankProposals({ ...request, maxDistanceKm: 10 }, groups, 'Enschede');
    expect(near.proposals.map((p) => p.groupId)).toEqual([3, 10, 4, 1]);
    expect(near.excluded.distance).toBe(1);
    expect(rankProposals({ ...request, keepSchool: true }, groups, 'Enschede').proposals.map((p) => p.groupId)).toEqual([3, 2, 10, 4, 1]); // 24 km < 25
    expect(rankProposals({ ...request, keepSchool: true }, [{ ...groups[1], distanceKm: 30 }], 'Enschede').excluded.distance).toBe(1);
  });

  it('with equal fit, precedence, freshness and distance, more free places come first', () => {
    const { proposals } = rankProposals(
      request,
      [g({ groupId: 21, groupType: 'gezinshuis', offers: ['hechting'], free: 1 }), g({ groupId: 22, groupType: 'gezinshuis', offers: ['hechting'], free: 3 })],
      'Enschede',
    );
    expect(proposals.map((p) => p.groupId)).toEqual([22, 21]);
    expect(proposals[1].rankReason).toMatch(/minder vrije plekken \(1 tegen 3\)/);
  });
});

describe('distance to home', () => {
  it('uses the approximate centres of the demo municipalities, and says when it guesses', () => {
    const enschede = { code: '0153', region: 'twente', province: 'Overijssel' };
    expect(distanceKm(enschede, enschede)).toEqual({ km: 0, approximate: false });
    const hengelo = distanceKm(enschede, { code: '0164', region: 'twente', province: 'Overijssel' });
    expect(hengelo.km).toBeGreaterThan(6);
    expect(hengelo.km).toBeLessThan(11);
    expect(hengelo.approximate).toBe(false);
    expect(distanceKm(enschede, { code: '0150', region: 'ijsselland', province: 'Overijssel' })).toEqual({ km: 60, approximate: true });
    expect(
      distanceKm({ code: '0363', region: 'amsterdam', province: 'Noord-Holland' }, { code: '0384', region: 'amsterdam', province: 'Noord-Holland' }),
    ).toEqual({ km: 25, approximate: true });
    expect(distanceKm(enschede, { code: '0363', region: 'amsterdam', province: 'Noord-Holland' })).toEqual({ km: 120, approximate: true });
  });
});

describe("providers' waiting times from CSV", () => {
  const header = 'aanbieder;aanbod;type;locatie;doelgroep;expertise;financiering;weken tot intake;weken tot behandeling;datum';
  const blank = { agbCode: '', kvkNumber: '', reportedPrecision: 'dag', source: '', remarks: '' };
  it('reads semicolons, quotes, decimal commas and Dutch dates', async () => {
    const csv = `\uFEFF${header}\r\n11110001;"Gezinshuis; kleinschalig";gezinshuis;Enschede;;hechting;Jeugdwet;6,5;10;2025-03-01\r\nBeta Gezinshuizen;Pleegzorg;pleeggezin;;;;;4;;01-02-2025\r\n`;
    const { rows, errors } = await parseWaitingCsv(csv, '2025-05-01');
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        provider: '11110001',
        offer: 'Gezinshuis; kleinschalig',
        careType: 'gezinshuis',
        location: 'Enschede',
        targetGroup: '',
        expertise: 'hechting',
        funding: 'Jeugdwet',
        weeksToIntake: 6.5,
        weeksToTreatment: 10,
        reportedOn: '2025-03-01',
        ...blank,
      },
      {
        line: 3,
        provider: 'Beta Gezinshuizen',
        offer: 'Pleegzorg',
        careType: 'pleeggezin',
        location: '',
        targetGroup: '',
        expertise: '',
        funding: '',
        weeksToIntake: 4,
        weeksToTreatment: null,
        reportedOn: '2025-02-01',
        ...blank,
      },
    ]);
  });
  it('reads lists as published: a treatment wait alone, "39,105" weeks, a month for a date, source and remarks', async () => {
    const csv = [
      'Zorgaanbieder;AGB;Aanbod;Wachttijd intake (weken);Wachttijd behandeling (weken);Peildatum;Bron;Opmerking',
      'Karakter;;Ambulant;;39,105;maart 2025;website;"incl. ""diagnostiek"""',
      'Accare;98010001;Behandeling;2,5;;03-2025;;',
      ';98010002;Behandeling;1;;mrt. 2025;;',
    ].join('\n');
    const { rows, errors } = await parseWaitingCsv(csv, '2025-05-01');
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.provider, r.agbCode, r.weeksToIntake, r.weeksToTreatment, r.reportedOn, r.reportedPrecision, r.source, r.remarks])).toEqual([
      ['Karakter', '', null, 39.105, '2025-03-01', 'maand', 'website', 'incl. "diagnostiek"'],
      ['Accare', '98010001', 2.5, null, '2025-03-01', 'maand', '', ''],
      ['98010002', '98010002', 1, null, '2025-03-01', 'maand', '', ''],
    ]);
  });
  it('reports every row that cannot be read, with line and column', async () => {
    const csv = [
      header,
      'A;X;gezinshuis;;;;;zes;;2025-03-01',
      ';X;gezinshuis;;;;;3;;2025-02-30',
      'A;X;gezinshuis;;;;;3;1,2545;2099-01-01',
      'A;X;gezinshuis;;;;;;;2025-01-01',
    ].join('\n');
    const { rows, errors } = await parseWaitingCsv(csv, '2025-05-01');
    expect(rows).toEqual([]);
    expect(errors).toEqual([
      { line: 2, field: 'weken tot intake', detail: "'zes' is geen aantal weken (bv. 6 of 39,105)" },
      { line: 3, field: 'aanbieder', detail: 'is leeg' },
      { line: 3, field: 'datum', detail: "'2025-02-30' is geen datum (JJJJ-MM-DD, DD-MM-JJJJ of een maand als 'maart 2025')" },
      { line: 4, field: 'weken tot behandeling', detail: "'1,2545' is geen aantal weken (bv. 6 of 39,105)" },
      { line: 4, field: 'datum', detail: '2099-01-01 ligt in de toekomst' },
      { line: 5, field: 'weken tot intake', detail: 'geen wachttijd: vul weken tot intake of weken tot behandeling in' },
    ]);
  });
  it('names a missing column, accepts commas and other column names', async () => {
    expect((await parseWaitingCsv('aanbieder;aanbod;datum\nA;B;2025-01-01', '2025-05-01')).errors.map((e) => e.field)).toEqual(['weken tot intake']);
    const { rows, errors } = await parseWaitingCsv(
      'Zorgaanbieder,Product,Zorgvorm,Wachttijd intake (weken),Peildatum\nA,B,ambulant,3,2025-04-01',
      '2025-05-01',
    );
    expect(errors).toEqual([]);
    expect(rows[0]).toMatchObject({ provider: 'A', offer: 'B', careType: 'ambulant', weeksToIntake: 3, reportedOn: '2025-04-01' });
    expect((await parseWaitingCsv('', '2025-05-01')).errors[0].detail).toBe('het bestand is leeg');
    expect((await parseWaitingCsv('aanbieder;aanbod;weken tot intake;datum\nCaf\uFFFD;B;3;2025-01-01', '2025-05-01')).errors[0]).toMatchObject({
      line: 2,
      field: 'codering',
    });
  });
  it('splits quoted fields with delimiters, quotes and newlines', async () => {
    expect(splitCsv('a;"b;c";"d ""e"""\n"f\ng";h', ';')).toEqual([
      ['a', 'b;c', 'd "e"'],
      ['f\ng', 'h'],
    ]);
  });
});
