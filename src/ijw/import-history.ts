// What an accepted message leaves for the cross-message rules of later ones (migration 023): the StartProducts and
// StopProducts of a JW305/JW307 (ijw_start_stop) and the answer of a JW319 (ijw_answer). A JW301's RedenWijziging,
// open ProductCode and ReferentieAanbieder are stored with its allocations (import.ts, storeAllocations); requests of
// a JW315/JW317 in ijw_request (003). Called by the import inside its transaction, after the rules accepted the message.
import { bsnLookupHash, type BsnKeys } from '../core/bsn.ts';
import type { Db } from '../db/index.ts';
import { registerScopedTables, sql, typed } from '../db/query.ts';
import type { JW305Bericht, JW307Bericht, JW319Bericht, MessageType } from './schema.ts';

// a start or stop names a youth (by the keyed hash of the BSN)
registerScopedTables('ijw_start_stop');

/** System work: the import stores what the message it is importing carries (the scope was checked at the door). */
const IMPORTING = sql.raw('/*unscoped*/');

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = (v: unknown) => (typeof v === 'string' && DATE.test(v) ? v : null);
const int = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);

/** Store what the rules of later messages read of this accepted message; returns the number of rows (starts/stops, answers). */
export async function storeForHistory(tx: Db, messageId: number, type: MessageType, message: unknown, keys: BsnKeys): Promise<number> {
  if (type === 'JW305' || type === 'JW307') {
    const c = (message as JW305Bericht | JW307Bericht).Client;
    const hash = bsnLookupHash(keys, c.Bsn);
    const list = type === 'JW305' ? (c as JW305Bericht['Client']).StartProducten.StartProduct : (c as JW307Bericht['Client']).StopProducten.StopProduct;
    const values = list.map((p, i) => {
      const stop = type === 'JW307' ? (p as JW307Bericht['Client']['StopProducten']['StopProduct'][number]) : null;
      return {
        message_id: messageId,
        line_no: i + 1,
        kind: stop ? 'stop' : 'start',
        bsn_hash: hash,
        assignment_number: int(p.ToewijzingNummer),
        product_category: p.Product?.Categorie ?? null,
        product_code: p.Product?.Code ?? null,
        allocation_start: date(p.ToewijzingIngangsdatum),
        begin_date: p.Begindatum,
        end_date: stop ? date(stop.Einddatum) : null,
        reason: stop?.RedenBeeindiging ?? null,
        delivery_status: p.StatusAanlevering,
      };
    });
    if (values.length) await typed(tx).insertInto('ijw_start_stop').values(values).modifyEnd(IMPORTING).execute();
    return values.length;
  }
  if (type === 'JW319') {
    const a = (message as JW319Bericht).Antwoord;
    await typed(tx)
      .insertInto('ijw_answer')
      .values({ message_id: messageId, reference: a.ReferentieAanbieder, answer: a.VerzoekAntwoord, reason: a.RedenAfwijzingVerzoek ?? null })
      .execute();
    return 1;
  }
  return 0;
}
