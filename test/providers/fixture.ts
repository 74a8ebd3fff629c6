// A region's provider list as regions keep them (messy names: legal forms written every way, accents, capitals,
// double spaces, trade names) and a waiting-time list as providers publish it, naming providers only by name.
// Deterministic: the counts the tests assert follow from the construction below.

const STEMS = [
  'Jarabee',
  'Karakter',
  'Accare',
  'Ambiq',
  'Pluryn',
  'Aveleijn',
  'Elker',
  'Mediant',
  'Trajectum',
  'Amarant',
  'Lijn5',
  'Zozijn',
  'Ambulant',
  'Horizon',
  'Juzt',
  'Lindenhout',
  'Pactum',
  'Entrea',
  'Intermetzo',
  'Combinatie',
  'Bijzonderjeugdwerk',
  'Dagbesteding',
  'Kompaan',
  'Stoomgroep',
  'Vlinderhuis',
  'Wijkkracht',
  'Zorgkompas',
  'Tandem',
  'Kaleidoscoop',
  'Boei',
];
const PLACES = ['Enschede', 'Hengelo', 'Almelo', 'Oldenzaal', 'Borne', 'Haaksbergen', 'Losser', 'Rijssen', 'Tubbergen', 'Dinkelland'];
const FORMS = [
  (n: string) => `Stichting ${n}`,
  (n: string) => `${n} B.V.`,
  (n: string) => `${n} BV`,
  (n: string) => n,
  (n: string) => `${n} V.O.F.`,
  (n: string) => `${n} Holding B.V.`,
  (n: string) => `STICHTING ${n.toUpperCase()}`,
  (n: string) => `${n}  Jeugdzorg`,
];
const CODES: Record<string, string> = {
  Enschede: '0153',
  Hengelo: '0164',
  Almelo: '0141',
  Oldenzaal: '0173',
  Borne: '0147',
  Haaksbergen: '0158',
  Losser: '0168',
  Rijssen: '1742',
  Tubbergen: '0183',
  Dinkelland: '1774',
};

export interface ListProvider {
  agb: string;
  kvk: string;
  name: string;
  stem: string;
  place: string;
}

/** 300 distinct providers: stem × place, every legal form, with AGB and KvK. */
export function providers(): ListProvider[] {
  const out: ListProvider[] = [];
  for (let i = 0; i < 300; i++) {
    const stem = STEMS[i % STEMS.length],
      place = PLACES[Math.floor(i / STEMS.length)];
    const base = `${stem} ${place}`.replace('Enschede', 'Énschede');
    out.push({ agb: String(71000000 + i), kvk: String(81000000 + i), name: FORMS[i % FORMS.length](base), stem, place });
  }
  return out;
}

/** The list as a CSV a region keeps, with its own column names (mapped by the import) and these extra rows:
 * 10 further locations of listed providers, 3 demo providers already in the register (by AGB), 6 refused rows,
 * and 2 rows without codes whose names nearly repeat a listed provider. */
export function providerListCsv(existing: { agb: string; name: string }[]): { csv: string; expect: Record<string, number> } {
  const list = providers();
  const header = ['Naam zorgaanbieder', 'Handelsnaam', 'AGB', 'KvK nummer', 'Soort', 'Locatie', 'Straat', 'Huisnummer', 'Postcode', 'Plaats', 'Gemeente'];
  const row = (cells: string[]) => cells.map((c) => (/[;"]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(';');
  const lines = [row(header)];
  list.forEach((p, i) => {
    lines.push(
      row([
        p.name,
        i % 7 === 0 ? `${p.stem} Jeugd ${p.place}` : '',
        p.agb,
        p.kvk,
        i < 5 ? 'groot' : '',
        `${p.stem} ${p.place}`,
        'Hoofdstraat',
        String(i + 1),
        `${7500 + (i % 400)} ${['AB', 'CD', 'EF'][i % 3]}`,
        p.place,
        CODES[p.place],
      ]),
    );
  });
  for (let i = 0; i < 10; i++) {
    const p = list[i * 3];
    lines.push(row([p.name.toLowerCase(), '', p.agb, '', '', `${p.stem} Tweede locatie`, 'Zijstraat', '2', '7522 NB', 'Enschede', 'Enschede']));
  }
  for (const { agb, name } of existing) lines.push(row([name, '', agb, '', '', 'Nieuwe locatie', 'Parkweg', '1', '7600 AA', 'Almelo', '0141']));
  lines.push(row(['Foute AGB Zorg', '', '1234567', '', '', '', '', '', '', '', '']));
  lines.push(row(['Foute KvK Zorg', '', '', '1234ABCD', '', '', '', '', '', '', '']));
  lines.push(row(['Belgische Zorg', '', '69000001', '', '', 'Antwerpen', 'Meir', '1', 'B-2000', 'Antwerpen', '0153']));
  lines.push(row(['Zorg Nergens', '', '69000002', '', '', 'Locatie', '', '', '7500 AA', 'Nergenshuizen', 'Nergenshuizen']));
  lines.push(row(['', '', '69000003', '', '', '', '', '', '', '', '']));
  lines.push(row(['Soort Onbekend', '', '69000004', '', 'reusachtig', '', '', '', '', '', '']));
  lines.push(row([`${list[1].stem} ${list[1].place} B.V.`, '', '', '', '', '', '', '', '', '', ''])); // no code; name of list[1] in another form
  lines.push(row([`Stichting ${list[2].stem} ${list[2].place}`.replace('Enschede', 'Enschede'), '', '', '', '', '', '', '', '', '', '']));
  return {
    csv: '\uFEFF' + lines.join('\r\n') + '\r\n',
    expect: {
      rows: 300 + 10 + existing.length + 8,
      providersNew: 300,
      nieuw: 310,
      gewijzigd: existing.length,
      geweigerd: 8,
      locationsNew: 310 + existing.length,
    },
  };
}

/** A waiting-time list as published: names only, written as the provider writes itself. */
export function waitingListCsv(): { csv: string; expect: { imported: number; pending: number; refused: number; unknownNames: string[] } } {
  const list = providers();
  const header = 'Aanbieder;Aanbod;Type;Locatie;Wachttijd intake (weken);Wachttijd behandeling (weken);Peildatum;Bron;Opmerking';
  const lines = [header];
  // 120 rows by a variant of the legal name (case, legal form, accents dropped), 20 by trade name
  for (let i = 0; i < 120; i++) {
    const p = list[(i * 7) % 300];
    const written = [`${p.stem} ${p.place}`, `${p.stem.toUpperCase()} ${p.place} bv`, `Stichting ${p.stem} ${p.place}`, `${p.stem} ${p.place} B.V.`][
      i % 4
    ].replace('Énschede', 'Enschede');
    const intake = i % 10 === 0 ? '' : `${(i % 13) + 1},${i % 2 ? '105' : '5'}`;
    const date = i % 3 === 0 ? 'maart 2025' : i % 3 === 1 ? '2025-03' : '15-03-2025';
    lines.push(
      [
        written,
        'Ambulante jeugdhulp',
        'ambulant',
        p.place,
        intake,
        String((i % 20) + 2),
        date,
        'website aanbieder',
        i % 5 === 0 ? 'Wachttijd "bij benadering"' : '',
      ]
        .map((c) => (/[;"]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
        .join(';'),
    );
  }
  for (let i = 0; i < 20; i++) {
    const p = list[i * 7];
    lines.push(
      [`${p.stem} jeugd ${p.place}`.replace('Énschede', 'Enschede'), 'Behandeling', 'behandelgroep', '', '6', '', '2025-04-01', 'Zorgkaart', ''].join(';'),
    );
  }
  // 8 rows of 3 providers not in the register; 2 rows that fail to read
  const unknown = ['De Vrolijke Vogel Jeugdhulp', 'Praktijk Zonnestraal', 'Kindertherapie Het Kompas Noord'];
  for (let i = 0; i < 8; i++) lines.push([unknown[i % 3], 'Ambulant', 'ambulant', '', '4', '', 'april 2025', 'lijst regio', ''].join(';'));
  lines.push(['Jarabee Enschede', 'Ambulant', 'ambulant', '', 'vier', '', '2025-04-01', '', ''].join(';'));
  lines.push(['Jarabee Hengelo', 'Ambulant', 'ambulant', '', '', '', '2025-04-01', '', ''].join(';'));
  return { csv: lines.join('\n'), expect: { imported: 140, pending: 8, refused: 2, unknownNames: [...unknown].sort() } };
}
