// JW301: the allocations (toewijzingen) a municipality sends, created or changed, with the youth when new.
import { bsnLookupHash, encryptBsn, encryptPersonal } from '../../core/bsn.ts';
import type { Db } from '../../db/index.ts';
import { sql, typed, unscoped } from '../../db/query.ts';
import { allocationProfile } from '../../funding/index.ts';
import { clientStopFor } from '../../providers/index.ts';
import type { Finding } from '../rules/types.ts';
import type { JW301Bericht } from '../schema.ts';
import type { Ctx } from './common.ts';

/** JW301: create or change the allocations (toewijzingen) it carries, and the youth when new. Everything is
 * resolved first (provider, products): a finding leaves the allocations untouched. */
export async function storeAllocations(tx: Db, messageId: number, m: JW301Bericht, findings: Finding[], ctx: Ctx): Promise<number> {
  const municipality = m.Header.Afzender;
  const c = m.Client;
  const [prov] = await tx.query(`SELECT id FROM provider WHERE agb_code = $1`, [m.Header.Ontvanger]);
  if (!prov)
    findings.push({
      code: 'TR338',
      retourcode: '9019',
      location: '/Bericht/Header/Ontvanger',
      text: `aanbieder ${m.Header.Ontvanger} is niet bekend`,
      layer: 'historie',
    });
  const products: { id: number; unit: string }[] = [];
  for (const [i, p] of c.ToegewezenProducten.ToegewezenProduct.entries()) {
    const [product] = await tx.query(
      `SELECT p.id, trim(p.unit) AS unit FROM product p JOIN municipality mu ON mu.region_id = p.region_id
       WHERE mu.code = $1 AND trim(p.category_code) = $2 AND ($3::text IS NULL OR p.code = $3) AND p.valid_from <= $4 AND (p.valid_to IS NULL OR $4 < p.valid_to)
       ORDER BY p.code LIMIT 1`,
      [municipality, p.Product?.Categorie ?? '', p.Product?.Code ?? null, p.Ingangsdatum],
    );
    if (!product)
      findings.push({
        code: 'TR381',
        retourcode: 'S329',
        location: `/Bericht/Client/ToegewezenProducten/ToegewezenProduct[${i + 1}]/Product`,
        text: 'product niet in het productenboek van de regio',
        layer: 'extern',
      });
    products.push(product);
  }
  if (findings.length) return 0;
  // a client stop on the enforcement ladder (providers' door) blocks new allocations to this provider in its segment
  for (const [i, p] of c.ToegewezenProducten.ToegewezenProduct.entries()) {
    if (p.RedenWijziging === '13') continue;
    const known = await typed(tx)
      .selectFrom('allocation')
      .select('id')
      .where(unscoped('does this JW301 change an allocation or create one'))
      .where(sql<boolean>`municipality_code = ${municipality}::bpchar`)
      .where('assignment_number', '=', String(p.ToewijzingNummer))
      .executeTakeFirst();
    if (known) continue; // a change of an existing allocation is not a new one
    const stop = await clientStopFor(tx, prov.id, products[i].id, p.Ingangsdatum);
    if (stop)
      findings.push({
        code: 'BK010',
        retourcode: 'S329',
        location: `/Bericht/Client/ToegewezenProducten/ToegewezenProduct[${i + 1}]/Ingangsdatum`,
        layer: 'historie',
        text: `cliëntenstop voor deze aanbieder sinds ${stop.onDate}${stop.segmentName ? ` voor ${stop.segmentName}` : ' voor alle segmenten'}${stop.endsOn ? ` tot ${stop.endsOn}` : ''}: geen nieuwe toewijzing met ingangsdatum ${p.Ingangsdatum}`,
      });
  }
  if (findings.length) return 0;
  const hash = bsnLookupHash(ctx.keys, c.Bsn);
  // the BRP address the message carries (Contact Soort 01), kept encrypted like the BSN: the JW301s Regiekamer writes need it
  const brp = c.Contactgegevens?.Contact?.find((k) => k.Soort === '01' && k.Adres?.Huis && k.Adres?.Postcode)?.Adres;
  const address = brp ? encryptPersonal(ctx.keys, JSON.stringify(brp)) : null;
  let [youth] = await tx.query(`SELECT id FROM youth WHERE bsn_hash = $1`, [hash]);
  if (!youth) {
    [youth] = await tx.query(
      `INSERT INTO youth (bsn_encrypted, bsn_hash, pseudonym, birth_date, gender, municipality_code, address_encrypted)
       VALUES ($1, $2, 'J-' || upper(substr($2, 1, 10)), $3, $4, $5, $6) RETURNING id`,
      [encryptBsn(ctx.keys, c.Bsn), hash, c.Geboortedatum.Datum, c.Geslacht, municipality, address],
    );
  } else if (address) {
    await tx.query(`UPDATE youth SET address_encrypted = $2 WHERE id = $1`, [youth.id, address]); // the newest address the municipality sent
  }
  for (const [i, p] of c.ToegewezenProducten.ToegewezenProduct.entries()) {
    const status = p.RedenWijziging === '13' ? 'ingetrokken' : 'actief';
    // on a contract with a fixed tariff per profile the allocation carries its profile (funding's door)
    const profile = await allocationProfile(tx, prov.id, products[i].id, p.Ingangsdatum);
    const [a] = await tx.query(
      `INSERT INTO allocation (assignment_number, municipality_code, provider_id, youth_id, product_id, start_date, end_date, volume, unit, frequency, budget_cents, status, profile,
                               change_reason, category_only)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (municipality_code, assignment_number) DO UPDATE SET end_date = EXCLUDED.end_date, volume = EXCLUDED.volume, unit = EXCLUDED.unit,
         frequency = EXCLUDED.frequency, budget_cents = EXCLUDED.budget_cents, status = CASE WHEN EXCLUDED.status = 'ingetrokken' THEN 'ingetrokken' ELSE 'gewijzigd' END,
         profile = COALESCE(allocation.profile, EXCLUDED.profile), change_reason = EXCLUDED.change_reason
       RETURNING id`,
      [
        String(p.ToewijzingNummer),
        municipality,
        prov.id,
        youth.id,
        products[i].id,
        p.Ingangsdatum,
        p.Einddatum ?? null,
        p.Omvang?.Volume ?? null,
        p.Omvang?.Eenheid ?? products[i].unit,
        p.Omvang?.Frequentie ?? null,
        p.Budget ?? null,
        status,
        profile,
        p.RedenWijziging ?? null,
        !p.Product?.Code,
      ],
    );
    // with the ReferentieAanbieder of the request it honours (TR359, TR374, TR379; migration 023)
    await tx.query(`INSERT INTO ijw_allocation_message (allocation_id, message_id, reference) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [
      a.id,
      messageId,
      p.ReferentieAanbieder ?? null,
    ]);
  }
  return products.length;
}
