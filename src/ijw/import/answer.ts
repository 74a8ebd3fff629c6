// The JW325 answer to a stored JW323: only the rejected lines come back, with their return codes; stored as an
// `out` message beside the declaration it answers.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { firstPart, writeFileParts, type Db } from '../../db/index.ts';
import { readMessage } from '../reader.ts';
import type { Finding } from '../rules/types.ts';
import type { JW323Bericht, JW323Client, JW325Bericht, JW325Client } from '../schema.ts';
import { writeMessage, writeMessageStream } from '../writer.ts';
import type { Ctx, ImportSource } from './common.ts';

const gzip = promisify(gzipCb);

const uniq = (codes: string[]) => [...new Set(codes)];
const XSD_VERSION = { BasisschemaXsdVersie: '1.0.0', BerichtXsdVersie: '1.0.0' };

/** Identification of a message Regiekamer writes: unique, at most 20 characters. */
const ownIdentification = (prefix: string, id: number) => `RK${prefix}${id}`.slice(0, 20);

/** The JW325 answer to a stored JW323: only the rejected lines come back, with their return codes. */
export async function writeAnswer(
  tx: Db,
  source: ImportSource,
  messageId: number,
  head: JW323Bericht,
  lineFindings: Map<number, Finding[]>,
  messageFindings: Finding[],
  ctx: Ctx,
) {
  const [m] = await tx.query(`SELECT amount_cents, accepted_amount_cents FROM ijw_message WHERE id = $1`, [messageId]);
  const [{ nextval: answerId }] = await tx.query(`SELECT nextval(pg_get_serial_sequence('ijw_message', 'id'))::int8 AS nextval`);
  const bedrag = (cents: number) => ({ TotaalBedrag: Math.abs(cents), DebetCredit: cents < 0 ? 'C' : 'D' });
  const envelope: JW325Bericht = {
    Header: {
      BerichtCode: '491',
      BerichtVersie: 3,
      BerichtSubversie: 2,
      Afzender: head.Header.Ontvanger,
      Ontvanger: head.Header.Afzender,
      BerichtIdentificatie: { Identificatie: ownIdentification('', answerId), Dagtekening: ctx.today },
      XsdVersie: XSD_VERSION,
      DeclaratieIdentificatie: head.Header.BerichtIdentificatie,
      XsdVersieDeclaratie: head.Header.XsdVersie,
      RetourCodes: { RetourCode: messageFindings.length ? uniq(messageFindings.map((f) => f.retourcode)) : ['0200'] },
    },
  };
  // each piece (about 64 KiB) to bytes and into the hash as it comes: joining the answer of 10,000 rejected lines
  // (≈ 8.5 MB) into one string, then to bytes and through the hash, held the server's thread for 70–100 ms in one go
  // (test/http/upload-health.test.ts, ninth session)
  const parts: Buffer[] = [];
  const hash = createHash('sha256');
  const write = (s: string) => {
    const piece = Buffer.from(s);
    hash.update(piece);
    parts.push(piece);
  };
  if (messageFindings.length) {
    // rejected as a whole: the header says why, there is no answer per line
    write(writeMessage('JW325', envelope));
  } else {
    envelope.DeclaratieAntwoord = {
      DeclaratieNummer: head.Declaratie.DeclaratieNummer,
      TotaalIngediendBedrag: bedrag(m.amount_cents),
      TotaalToegekendBedrag: bedrag(m.accepted_amount_cents),
      Clienten: { Client: [] },
      RetourCodes: { RetourCode: [lineFindings.size ? '0200' : '8001'] },
    };
    if (!lineFindings.size) {
      delete envelope.DeclaratieAntwoord.Clienten;
      write(writeMessage('JW325', envelope));
    } else {
      // read the declaration again for the rejected lines (their BSN is not stored in plain text)
      async function* rejectedClients(): AsyncGenerator<JW325Client> {
        let n = 0;
        for await (const e of readMessage(source, { maxBytes: ctx.maxBytes })) {
          if (e.kind !== 'client') continue;
          const c = e.client as JW323Client;
          const back = [];
          for (const p of c.Prestaties?.Prestatie ?? []) {
            const fs = lineFindings.get(++n);
            if (fs) back.push({ ...p, RetourCodes: { RetourCode: uniq(fs.map((f) => f.retourcode)) } });
          }
          if (back.length) yield { Bsn: c.Bsn, Prestaties: { Prestatie: back }, RetourCodes: { RetourCode: ['0200'] } };
        }
      }
      await writeMessageStream('JW325', envelope, rejectedClients(), write);
    }
  }
  const xml = Buffer.concat(parts);
  const answerGz = await gzip(xml, { level: 1 });
  await tx.query(
    `INSERT INTO ijw_message (id, message_type, direction, identification, dagtekening, sender_code, receiver_code, municipality_code, provider_id, provider_agb,
                              declaration_number, content_hash, status, lines, accepted_lines, rejected_lines, amount_cents, accepted_amount_cents, answer_to_id, xml_gzip, size_bytes)
     SELECT $1, 'JW325', 'out', $2, $3, receiver_code, sender_code, municipality_code, provider_id, provider_agb, declaration_number, $4, 'verzonden',
            rejected_lines, 0, rejected_lines, amount_cents, accepted_amount_cents, id, decode($5, 'base64'), $6
     FROM ijw_message WHERE id = $7`,
    [
      answerId,
      envelope.Header.BerichtIdentificatie.Identificatie,
      ctx.today,
      hash.digest('hex'),
      firstPart(answerGz).toString('base64'),
      xml.byteLength,
      messageId,
    ],
  );
  await writeFileParts(tx, 'ijw_message_part', answerId, answerGz);
}
