// Every message but a JW323: read whole (they hold one client), judged by the rules with the stored history, then
// stored with what it carries: JW301 allocations (allocations.ts), JW315/JW317 requests (requests.ts), the rest for
// the cross-message rules (../import-history.ts).
import type { Db } from '../../db/index.ts';
import { DbHistory } from '../history-db.ts';
import { storeForHistory } from '../import-history.ts';
import { readMessage } from '../reader.ts';
import { checkMessage } from '../rules/engine.ts';
import type { Finding } from '../rules/types.ts';
import type { JW301Bericht, MessageType } from '../schema.ts';
import { storeAllocations } from './allocations.ts';
import { announceCareDates } from './booked.ts';
import { type Ctx, type Hashed, type ImportSource, date, otherMunicipality, stored } from './common.ts';
import { insertMessage, settleMessage } from './message-row.ts';
import { storeRequests } from './requests.ts';

/** Every message but a JW323: read whole (they hold one client), rules, then store what it carries. */
export async function importOther(tx: Db, source: ImportSource, type: MessageType, hashed: Hashed, ctx: Ctx): Promise<number> {
  let message: any;
  const events = async function* () {
    for await (const e of readMessage(source, { maxBytes: ctx.maxBytes, collectClients: true })) {
      if (e.kind === 'end') message = e.message;
      yield e;
    }
  };
  const findings: Finding[] = [];
  // the cross-message rules read the earlier messages (this one is not stored yet)
  await checkMessage(events(), { today: ctx.today, onFinding: (f) => findings.push(f), maxFindings: 0, history: new DbHistory(tx, ctx.keys) });
  const h = message.Header;
  // a municipality sends JW301, JW316, JW319, JW320, JW325; a provider the others
  const fromMunicipality = ['JW301', 'JW316', 'JW319', 'JW320', 'JW325'].includes(type);
  const municipalityCode = fromMunicipality ? h.Afzender : h.Ontvanger;
  const providerAgb = fromMunicipality ? h.Ontvanger : h.Afzender;
  if (ctx.municipalityCode && municipalityCode !== ctx.municipalityCode) throw otherMunicipality(municipalityCode, ctx.municipalityCode);
  const id = await insertMessage(tx, {
    type,
    direction: 'in',
    identification: h.BerichtIdentificatie?.Identificatie ?? '',
    dagtekening: date(h.BerichtIdentificatie?.Dagtekening),
    sender: h.Afzender,
    receiver: h.Ontvanger,
    municipalityCode,
    providerAgb,
    hash: hashed.hash,
    status: findings.length ? 'afgewezen' : 'verwerkt',
    gz: hashed.gz,
    size: hashed.size,
    xsdVersion: h.XsdVersie,
  });
  if (!findings.length) {
    let lines = 0;
    if (type === 'JW301') lines = await storeAllocations(tx, id, message as JW301Bericht, findings, ctx);
    else if (type === 'JW315' || type === 'JW317') lines = await storeRequests(tx, id, type, message, ctx);
    else lines = await storeForHistory(tx, id, type, message, ctx.keys);
    // allocations, starts and stops are the dates a trajectory is counted by (funding's quarterly review reads them)
    if ((type === 'JW301' || type === 'JW305' || type === 'JW307') && lines && !findings.length) await announceCareDates(tx, municipalityCode);
    if (!findings.length) {
      await settleMessage(tx, id, { lines });
      return id;
    }
  }
  await settleMessage(tx, id, { findings: findings.map(stored) });
  return id;
}
