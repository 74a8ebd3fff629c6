// The contract checks of funding's door for a JW323 that is judged, not imported (`ijw validate --with-history`):
// the execution variant (taakgericht: no declaration per client, BK001), the output units of an outputgericht contract
// (BK002), the trajectory's price (BK003) and its billing moments (BK004). The import runs the same judge
// (lineVariantJudge) over the lines it stored (judgeVariants in import.ts); here the lines come from the file, in file
// order, and their allocations from the database, so validate and import give a line the same verdict.
import type { Db } from '../db/index.ts';
import { typed, unscoped, sql } from '../db/query.ts';
import { lineVariantJudge } from '../funding/index.ts';
import { readMessage } from './reader.ts';
import type { Finding } from './rules/types.ts';
import type { JW323Bericht, JW323Client } from './schema.ts';

const LINE_AT = /\/Client\[(\d+)\](?:\/Prestaties\/Prestatie\[(\d+)\])?/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * What the other rules already rejected, from their findings' locations (as the import sorts them): a finding about
 * the message as a whole (return code 0001, or outside the Clients) rejects every line, so nothing is booked and the
 * contract is not judged; a finding on a Client rejects its lines, on a Prestatie that line.
 */
export class Rejections {
  whole = false;
  private readonly clients = new Set<number>();
  private readonly lines = new Set<string>();
  add(f: Pick<Finding, 'retourcode' | 'location'>) {
    const m = f.retourcode === '0001' ? null : LINE_AT.exec(f.location);
    if (!m) this.whole = true;
    else if (m[2] === undefined) this.clients.add(Number(m[1]));
    else this.lines.add(`${m[1]}/${m[2]}`);
  }
  has(client: number, line: number) {
    return this.clients.has(client) || this.lines.has(`${client}/${line}`);
  }
}

/**
 * The contract findings for the lines of a JW323 file (1-based Client and Prestatie in the locations), in file order.
 * None when the message is rejected as a whole, when its provider has no contract other than inspanningsgericht,
 * or for lines whose allocation (ToewijzingNummer of the receiving municipality) is not known.
 */
export async function contractFindings(db: Db, file: string, rejected: Rejections, opts: { maxBytes?: number } = {}): Promise<Finding[]> {
  if (rejected.whole) return [];
  const findings: Finding[] = [];
  let judge: Awaited<ReturnType<typeof lineVariantJudge>> = null;
  let allocations = new Map<string, { id: number; providerId: number; productId: number }>();
  for await (const e of readMessage(file, { maxBytes: opts.maxBytes })) {
    if (e.kind === 'head') {
      if (e.type !== 'JW323') return [];
      const head = (e.message as JW323Bericht).Header;
      const provider = await typed(db)
        .selectFrom('provider as p')
        .select('p.id')
        .where(unscoped('validate: the sending provider of the file, by its AGB code'))
        .where('p.agb_code', '=', String(head?.Afzender ?? ''))
        .executeTakeFirst();
      if (!provider) return [];
      judge = await lineVariantJudge(db, [provider.id]);
      if (!judge) return [];
      // this provider's allocations of the receiving municipality (bounded by the allocations, not by the file)
      const rows = await typed(db)
        .selectFrom('allocation as a')
        .select(['a.id', 'a.provider_id', 'a.product_id', sql<string>`ltrim(a.assignment_number, '0')`.as('nr')])
        .where(unscoped("validate: the allocations the file's lines refer to, to judge them against the contract"))
        .where('a.municipality_code', '=', String(head?.Ontvanger ?? ''))
        .where('a.provider_id', '=', provider.id)
        .execute();
      allocations = new Map(rows.map((r) => [r.nr, { id: Number(r.id), providerId: r.provider_id, productId: r.product_id }]));
    } else if (e.kind === 'client' && judge) {
      const c = e.client as JW323Client;
      const client = e.index + 1;
      for (const [i, p] of (c.Prestaties?.Prestatie ?? []).entries()) {
        const a = typeof p.ToewijzingNummer === 'number' ? allocations.get(String(p.ToewijzingNummer)) : undefined;
        const start = p.ProductPeriode?.Begindatum,
          end = p.ProductPeriode?.Einddatum;
        if (!a || typeof start !== 'string' || !DATE.test(start)) continue;
        const j = judge({
          providerId: a.providerId,
          productId: a.productId,
          allocationId: a.id,
          day: start,
          periodEnd: typeof end === 'string' && DATE.test(end) ? end : start,
          unit: typeof p.Eenheid === 'string' ? p.Eenheid.trim() : '',
          amountCents: Number.isSafeInteger(p.IngediendBedrag?.Bedrag) ? p.IngediendBedrag.Bedrag : 0,
          debitCredit: p.IngediendBedrag?.DebetCredit === 'C' ? 'C' : 'D',
          rejected: rejected.has(client, i + 1),
        });
        if (j) findings.push({ ...j, location: `/Bericht/Declaratie/Clienten/Client[${client}]/Prestaties/Prestatie[${i + 1}]`, layer: 'historie' });
      }
    }
  }
  return findings;
}
