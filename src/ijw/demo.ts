// Demo messages, so that a municipality's inbox and outbox are not empty: in Enschede (Twente), for three of the
// largest providers, new allocations for January–March after the demo year, a JW323 per provider for January
// imported through the real import (a few lines break rules on purpose: a wrong tariff, an unknown allocation),
// with the JW325 answers it writes, and JW301 messages for some of the new allocations.
import type { BsnKeys } from '../core/bsn.ts';
import type { Db } from '../db/index.ts';
import { decryptBsn } from './bsn.ts';
import { exportAllocations } from './export.ts';
import { importMessage } from './import.ts';
import { todayIso } from './rules/dates.ts';
import type { JW323Bericht, JW323Client } from './schema.ts';
import { writeMessage } from './writer.ts';

const MUNICIPALITY = '0153'; // Enschede: the demo gemeente account
const PROVIDERS = 3;
const LINES_PER_PROVIDER = 40;

export async function loadIjwDemo(db: Db, keys: BsnKeys, regions: readonly string[]): Promise<void> {
  if (!regions.includes('twente')) return;
  const [region] = await db.query(`SELECT demo_year FROM region WHERE id = 'twente'`);
  if (!region?.demo_year) return;
  // the month after the demo year: the demo year itself stays calibrated to the published figures; the new
  // allocations go to youths the generated history has out of care then
  const year: number = region.demo_year + 1;
  const from = `${year}-01-01`,
    to = `${year}-01-31`;
  // the providers with the most money in Twente (the first is the demo aanbieder account)
  const providers = await db.query(
    `SELECT p.id, p.agb_code FROM provider p JOIN declaration_line d ON d.provider_id = p.id JOIN municipality m ON m.code = d.municipality_code AND m.region_id = 'twente'
     GROUP BY p.id, p.agb_code ORDER BY sum(d.amount_cents) DESC, p.id LIMIT $1`,
    [PROVIDERS],
  );
  for (const [pi, p] of providers.entries()) {
    // new allocations for January–March, for youths and products this provider already serves here
    const allocs = await db.query(
      `WITH src AS (
         SELECT DISTINCT ON (a.youth_id) a.youth_id, a.product_id, trim(pr.unit) AS unit FROM allocation a JOIN product pr ON pr.id = a.product_id
         WHERE a.municipality_code = $1 AND a.provider_id = $2 AND pr.valid_from <= $4::date AND (pr.valid_to IS NULL OR pr.valid_to > $4::date)
           -- youths not in care anywhere in January–March: the demo ledger runs on through these months (issue 18),
           -- and a second allocation beside a running one would declare the same care twice
           AND NOT EXISTS (SELECT 1 FROM allocation o WHERE o.youth_id = a.youth_id AND o.start_date <= $6::date AND o.end_date >= $4::date)
         ORDER BY a.youth_id, a.id LIMIT $3)
       INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency, status)
       SELECT (700000000 + $5::int * 1000 + row_number() OVER (ORDER BY youth_id))::text, $1, $2, youth_id, product_id, $4::date, $6::date,
              CASE unit WHEN '14' THEN 61 WHEN '01' THEN 6000 ELSE 400 END, unit, '6', 'actief'
       FROM src
       RETURNING id, assignment_number, youth_id, product_id`,
      [MUNICIPALITY, p.id, LINES_PER_PROVIDER, from, pi, `${year}-03-31`],
    );
    if (!allocs.length) continue;
    const details = await db.query(
      `SELECT a.id, a.assignment_number, y.bsn_encrypted, trim(pr.category_code) AS category, pr.code, trim(pr.unit) AS unit,
              (SELECT t.amount_cents FROM tariff t WHERE t.product_id = pr.id AND t.valid_from <= $2::date AND (t.valid_to IS NULL OR $2::date < t.valid_to) ORDER BY t.valid_from DESC LIMIT 1) AS tariff
       FROM allocation a JOIN youth y ON y.id = a.youth_id JOIN product pr ON pr.id = a.product_id WHERE a.id = ANY($1::int8[]) ORDER BY a.assignment_number`,
      [allocs.map((a) => a.id), from],
    );
    const clients: JW323Client[] = [];
    let total = 0;
    for (const [i, a] of details.entries()) {
      if (a.tariff === null) continue;
      const volume = a.unit === '14' ? 30 : a.unit === '01' ? 240 : a.unit === '04' ? 6 : 1;
      // two lines with a tariff one cent off the contract (TR418), one on an allocation that does not exist (TR338)
      const tariff = Number(a.tariff) + (i === 3 || i === 11 ? 1 : 0);
      const nr = i === 7 ? 799999999 : Number(a.assignment_number);
      total += volume * tariff;
      clients.push({
        Bsn: decryptBsn(keys, a.bsn_encrypted),
        Prestaties: {
          Prestatie: [
            {
              ProductReferentie: { ReferentieNummer: `R${year}01P${pi + 1}N${i + 1}` },
              ToewijzingNummer: nr,
              ProductCategorie: a.category,
              ProductCode: a.code,
              ProductPeriode: { Begindatum: from, Einddatum: to },
              GeleverdVolume: volume,
              Eenheid: a.unit,
              ProductTarief: tariff,
              IngediendBedrag: { Bedrag: volume * tariff, DebetCredit: 'D' },
            },
          ],
        },
      });
    }
    if (!clients.length) continue;
    const dagtekening = `${year}-02-05`;
    const m: JW323Bericht = {
      Header: {
        BerichtCode: '490',
        BerichtVersie: 3,
        BerichtSubversie: 2,
        Afzender: p.agb_code,
        Ontvanger: MUNICIPALITY,
        BerichtIdentificatie: { Identificatie: `DEMO${year}01${pi + 1}`, Dagtekening: dagtekening },
        XsdVersie: { BasisschemaXsdVersie: '1.0.0', BerichtXsdVersie: '1.0.0' },
      },
      Declaratie: {
        DeclaratieNummer: `D${year}01P${pi + 1}`,
        DeclaratiePeriode: { Begindatum: from, Einddatum: to },
        DeclaratieDagtekening: dagtekening,
        TotaalIngediendBedrag: { TotaalBedrag: total, DebetCredit: 'D' },
        Clienten: { Client: clients },
      },
    };
    await importMessage(db, Buffer.from(writeMessage('JW323', m)), { keys, today: dagtekening });
    // the first provider also got some of its allocations as JW301 (the rest waits in "nog niet verzonden")
    if (pi === 0) await exportAllocations(db, MUNICIPALITY, { keys, today: todayIso(), providerId: p.id, limit: 10 });
  }
}
