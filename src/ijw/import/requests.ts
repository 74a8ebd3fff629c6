// JW315 (aanvraag) and JW317 (verzoek om wijziging): the requested products, stored for the municipality to answer.
import { bsnLookupHash } from '../../core/bsn.ts';
import { copyLine, type Db } from '../../db/index.ts';
import type { JW315Bericht, JW317Bericht } from '../schema.ts';
import { type Ctx, date } from './common.ts';

/** JW315 (aanvraag) and JW317 (verzoek om wijziging): the requested products, for the municipality to answer. */
export async function storeRequests(tx: Db, messageId: number, type: 'JW315' | 'JW317', m: JW315Bericht | JW317Bericht, ctx: Ctx): Promise<number> {
  const hash = bsnLookupHash(ctx.keys, m.Client.Bsn);
  const rows: unknown[][] = [];
  if (type === 'JW315') {
    for (const p of (m as JW315Bericht).Client.AangevraagdeProducten.AangevraagdProduct) {
      rows.push([p.ReferentieAanbieder, 'aangevraagd', null, p.Product?.Categorie, p.Product?.Code, p.ToewijzingIngangsdatum, p.ToewijzingEinddatum, p]);
    }
  } else {
    const v = (m as JW317Bericht).Client.Verzoek;
    for (const p of v.OngewijzigdeProducten?.OngewijzigdProduct ?? [])
      rows.push([v.ReferentieAanbieder, 'ongewijzigd', p.ToewijzingNummer, null, null, null, null, p]);
    for (const p of v.TeWijzigenProducten?.TeWijzigenProduct ?? [])
      rows.push([v.ReferentieAanbieder, 'te_wijzigen', p.ToewijzingNummer, null, null, p.GewensteIngangsdatum, p.Einddatum, p]);
    for (const p of v.NieuweProducten?.NieuwProduct ?? [])
      rows.push([v.ReferentieAanbieder, 'nieuw', null, p.Product?.Categorie, p.Product?.Code, p.GewensteIngangsdatum, p.Einddatum, p]);
  }
  if (rows.length) {
    await tx.copyRows(
      'ijw_request',
      ['message_id', 'line_no', 'bsn_hash', 'reference', 'kind', 'assignment_number', 'product_category', 'product_code', 'start_date', 'end_date', 'detail'],
      rows.map((r, i) => copyLine([messageId, i + 1, hash, r[0], r[1], r[2], r[3], r[4], date(r[5]), date(r[6]), JSON.stringify(r[7])])),
    );
  }
  return rows.length;
}
