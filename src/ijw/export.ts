// Writing JW301 (toewijzing) messages from the stored allocations of one municipality that have not left yet.
// A JW301 holds one Client, so a provider gets one message per youth with all of that youth's new allocations.
// Regiekamer keeps no names or addresses (privacy by design): the name is the youth's pseudonym and the contact
// is the kind only (Soort 01, BRP-adres), which the XSD allows; the provider's system has the person from the
// request (JW315) or the BRP.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { BsnKeys } from '../core/bsn.ts';
import { copyLine, FILE_PART_BYTES, firstPart, writeFileParts, type Db } from '../db/index.ts';
import { municipalityScope, rows as run, scopeSql, sql } from '../db/query.ts';
import { decryptAddress, decryptBsn } from './bsn.ts';
import type { JW301Bericht, JW301ToegewezenProduct } from './schema.ts';
import { writeMessage } from './writer.ts';

export interface ExportedMessage {
  messageId: number;
  providerId: number;
  providerName: string;
  allocations: number;
  xml: string;
}

export interface ExportOptions {
  keys: BsnKeys;
  today: string;
  /** Only this provider's allocations (the demo). */
  providerId?: number;
  /** At most this many messages (the demo). */
  limit?: number;
}

/** Writes and stores (as `out`, status verzonden) the JW301 messages; returns them with their XML. */
export async function exportAllocations(db: Db, municipalityCode: string, opts: ExportOptions): Promise<ExportedMessage[]> {
  return db.transaction(async (tx) => {
    // the municipality's own allocations (to one provider, if asked): its scope, without the region
    const own = scopeSql(municipalityScope(municipalityCode, opts.providerId ?? null), { municipality: 'a.municipality_code', provider: 'a.provider_id' });
    const rows = await run<any>(
      tx,
      sql`SELECT a.id, a.assignment_number, a.provider_id, pr.name AS provider_name, pr.agb_code, a.youth_id, y.bsn_encrypted, y.address_encrypted, y.birth_date, y.gender, y.pseudonym,
              trim(p.category_code) AS category, p.code AS product_code, to_char(a.created_at, 'YYYY-MM-DD') AS created_date, to_char(a.created_at, 'HH24:MI:SS') AS created_time,
              a.start_date, a.end_date, a.volume, trim(a.unit) AS unit, trim(a.frequency) AS frequency, a.budget_cents, a.status,
              dense_rank() OVER (ORDER BY a.provider_id, a.youth_id) AS msg
       FROM allocation a JOIN provider pr ON pr.id = a.provider_id JOIN youth y ON y.id = a.youth_id JOIN product p ON p.id = a.product_id
       WHERE ${own}
         -- a JW301 carries the youth's BRP address (CD034, TR006): without one known, the allocation is not sent
         AND y.address_encrypted IS NOT NULL
         AND a.assignment_number ~ '^[0-9]{1,9}$' -- ToewijzingNummer is LDT_Nummer (at most 9 digits): longer numbers cannot travel in iJW
         AND NOT EXISTS (SELECT 1 FROM ijw_allocation_message am JOIN ijw_message m ON m.id = am.message_id WHERE am.allocation_id = a.id AND m.direction = 'out')
       ORDER BY a.provider_id, a.youth_id, a.id`,
    );
    const groups: (typeof rows)[] = [];
    for (const r of rows) {
      if (opts.limit !== undefined && r.msg > opts.limit) break;
      (groups[r.msg - 1] ??= []).push(r);
    }
    if (!groups.length) return [];
    const messageIds = (
      await tx.query(`SELECT nextval(pg_get_serial_sequence('ijw_message', 'id'))::int8 AS id FROM generate_series(1, $1)`, [groups.length])
    ).map((r) => r.id);
    const out: ExportedMessage[] = [];
    const messageRows: string[] = [];
    const links: string[] = [];
    const files: { id: number; gz: Buffer }[] = [];
    groups.forEach((g, i) => {
      const a0 = g[0];
      const id = messageIds[i];
      const message: JW301Bericht = {
        Header: {
          BerichtCode: '436',
          BerichtVersie: 3,
          BerichtSubversie: 2,
          Afzender: municipalityCode,
          Ontvanger: a0.agb_code,
          BerichtIdentificatie: { Identificatie: `RK${id}`, Dagtekening: opts.today },
          XsdVersie: { BasisschemaXsdVersie: '1.0.0', BerichtXsdVersie: '1.0.0' },
        },
        Client: {
          Bsn: decryptBsn(opts.keys, a0.bsn_encrypted),
          Geboortedatum: { Datum: a0.birth_date },
          Geslacht: a0.gender,
          Naam: { Geslachtsnaam: { Achternaam: a0.pseudonym }, NaamGebruik: '1' },
          Contactgegevens: { Contact: [{ Soort: '01', Adres: decryptAddress(opts.keys, a0.address_encrypted) }] },
          ToegewezenProducten: {
            ToegewezenProduct: g.map(
              (a): JW301ToegewezenProduct => ({
                ToewijzingNummer: Number(a.assignment_number),
                Product: { Categorie: a.category, Code: a.product_code },
                Toewijzingsdatum: a.created_date,
                Toewijzingstijd: a.created_time,
                Ingangsdatum: a.start_date,
                ...(a.end_date ? { Einddatum: a.end_date } : {}),
                ...(a.status === 'ingetrokken' ? { RedenWijziging: '13' } : {}),
                ...(a.volume !== null && a.frequency ? { Omvang: { Volume: a.volume, Eenheid: a.unit, Frequentie: a.frequency } } : {}),
                ...(a.budget_cents !== null ? { Budget: a.budget_cents } : {}),
              }),
            ),
          },
        },
      };
      const xml = writeMessage('JW301', message);
      const bytes = Buffer.from(xml);
      const gz = gzipSync(bytes, { level: 1 });
      // the first 256 kB of the gzipped file in the row, the rest in parts after the COPY (migration 034)
      if (gz.length > FILE_PART_BYTES) files.push({ id, gz });
      messageRows.push(
        copyLine([
          id,
          'JW301',
          'out',
          `RK${id}`,
          opts.today,
          municipalityCode,
          a0.agb_code,
          municipalityCode,
          a0.provider_id,
          a0.agb_code,
          createHash('sha256').update(bytes).digest('hex'),
          'verzonden',
          g.length,
          g.length,
          '\\x' + firstPart(gz).toString('hex'),
          bytes.byteLength,
        ]),
      );
      for (const a of g) links.push(copyLine([a.id, id]));
      out.push({ messageId: id, providerId: a0.provider_id, providerName: a0.provider_name, allocations: g.length, xml });
    });
    await tx.copyRows(
      'ijw_message',
      [
        'id',
        'message_type',
        'direction',
        'identification',
        'dagtekening',
        'sender_code',
        'receiver_code',
        'municipality_code',
        'provider_id',
        'provider_agb',
        'content_hash',
        'status',
        'lines',
        'accepted_lines',
        'xml_gzip',
        'size_bytes',
      ],
      messageRows,
    );
    for (const f of files) await writeFileParts(tx, 'ijw_message_part', f.id, f.gz);
    await tx.copyRows('ijw_allocation_message', ['allocation_id', 'message_id'], links);
    return out;
  });
}

/** The municipality's allocations not yet sent that cannot be sent because the youth's address is not known (CD034, TR006). */
export async function allocationsWithoutAddress(db: Db, municipalityCode: string, providerId: number | null = null): Promise<number> {
  const own = scopeSql(municipalityScope(municipalityCode, providerId), { municipality: 'a.municipality_code', provider: 'a.provider_id' });
  const [r] = await run<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM allocation a JOIN youth y ON y.id = a.youth_id
    WHERE ${own} AND y.address_encrypted IS NULL
      AND NOT EXISTS (SELECT 1 FROM ijw_allocation_message am JOIN ijw_message m ON m.id = am.message_id WHERE am.allocation_id = a.id AND m.direction = 'out')`,
  );
  return r.n;
}
