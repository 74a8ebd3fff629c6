// Importing declarations (JW323): idempotent, all or nothing, booked into declaration_line, answered with a JW325
// that validates against the XSD and carries the rules' return codes; credits reverse debits in the ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Db } from '../../src/db/index.ts';
import { importMessage, ImportRefused } from '../../src/ijw/import.ts';
import { readFullMessage } from '../../src/ijw/reader.ts';
import { DECLARATION_FACTS } from '../../src/monitoring/facts.ts';
import { validateXsd } from '../../src/ijw/xsd.ts';
import type { JW325Bericht } from '../../src/ijw/schema.ts';
import { BSN, BSN2, TODAY, declaration, line, retotal } from './helpers.ts';
import { counts, declarationFile, importFixture, keys, tmpFile } from './fixture.ts';

let db: Db;
const opts = { keys, today: TODAY };

beforeAll(async () => {
  ({ db } = await importFixture());
}, 180_000);
afterAll(async () => {
  await db?.close();
});

async function answerOf(answerId: number) {
  const [a] = await db.query(`SELECT xml_gzip, message_type, direction, answer_to_id FROM ijw_message WHERE id = $1`, [answerId]);
  const xml = gunzipSync(a.xml_gzip).toString('utf8');
  return { row: a, xml, message: (await readFullMessage({ xml })).message as JW325Bericht };
}

describe('import of a JW323', () => {
  it('books a clean declaration, answers 8001, and the same file twice is stored once', async () => {
    const before = await counts(db);
    const file = declarationFile(declaration());
    const r = await importMessage(db, file, opts);
    expect(r).toMatchObject({
      type: 'JW323',
      duplicate: false,
      status: 'verwerkt',
      lines: 2,
      acceptedLines: 2,
      rejectedLines: 0,
      amountCents: 29000,
      acceptedAmountCents: 29000,
      findings: [],
    });
    const booked = await db.query(
      `SELECT d.amount_cents, d.tariff_cents, d.source, a.assignment_number FROM declaration_line d JOIN allocation a ON a.id = d.allocation_id WHERE d.ijw_message_id = $1 ORDER BY d.ijw_line_no`,
      [r.messageId],
    );
    expect(booked).toEqual([
      { amount_cents: 5000, tariff_cents: 1250, source: 'jw323', assignment_number: '10072' },
      { amount_cents: 24000, tariff_cents: 1500, source: 'jw323', assignment_number: '10073' },
    ]);
    const answer = await answerOf(r.answerMessageId!);
    expect(answer.row).toMatchObject({ message_type: 'JW325', direction: 'out', answer_to_id: r.messageId });
    expect((await validateXsd({ xml: answer.xml })).findings).toEqual([]);
    expect(answer.message.DeclaratieAntwoord!.RetourCodes.RetourCode).toEqual(['8001']);
    expect(answer.message.DeclaratieAntwoord!.Clienten).toBeUndefined();

    const again = await importMessage(db, file, opts);
    expect(again).toEqual({ ...r, duplicate: true });
    const after = await counts(db);
    expect(after.messages).toBe(before.messages + 2); // the declaration and its answer, once
    expect(after.lines).toBe(before.lines + 2);
  });

  it('rejects the lines that break rules, books the others, and the JW325 names them with their return codes', async () => {
    const m = retotal(
      declaration([
        // February: April's lines of these allocations are declared by other tests (one debit per allocation and period, TR389)
        {
          bsn: BSN,
          lines: [
            line('X1', { ToewijzingNummer: 10072, ProductPeriode: { Begindatum: '2026-02-01', Einddatum: '2026-02-28' } }),
            line('X2', {
              ProductPeriode: { Begindatum: '2026-03-01', Einddatum: '2026-03-31' },
              ProductTarief: 1300,
              IngediendBedrag: { Bedrag: 5200, DebetCredit: 'D' },
            }),
          ],
        },
        {
          bsn: BSN2,
          lines: [
            line('X3', { ToewijzingNummer: 20001 }),
            line('X4', { ToewijzingNummer: 10074, ProductPeriode: { Begindatum: '2026-02-01', Einddatum: '2026-02-28' } }),
          ],
        },
      ]),
    );
    const r = await importMessage(db, declarationFile(m), opts);
    expect(r.findings).toEqual([]);
    expect(r).toMatchObject({ status: 'verwerkt', lines: 4, acceptedLines: 2, rejectedLines: 2, amountCents: 20200, acceptedAmountCents: 10000 });
    const rows = await db.query(`SELECT line_no, status, findings FROM ijw_declaration_line WHERE message_id = $1 ORDER BY line_no`, [r.messageId]);
    expect(rows.map((x) => x.status)).toEqual(['geaccepteerd', 'afgewezen', 'afgewezen', 'geaccepteerd']);
    expect(rows[1].findings.map((f: any) => [f.code, f.retourcode])).toEqual([['TR418', '0611']]);
    expect(rows[2].findings.map((f: any) => f.code)).toEqual(['TR338']);
    const answer = await answerOf(r.answerMessageId!);
    expect((await validateXsd({ xml: answer.xml })).findings).toEqual([]);
    const a = answer.message.DeclaratieAntwoord!;
    expect(a.TotaalToegekendBedrag).toEqual({ TotaalBedrag: 10000, DebetCredit: 'D' });
    expect(a.Clienten!.Client.map((c) => [c.Bsn, c.Prestaties.Prestatie.map((p) => [p.ProductReferentie.ReferentieNummer, p.RetourCodes.RetourCode])])).toEqual(
      [
        [BSN, [['X2', ['0611']]]],
        [BSN2, [['X3', ['9338']]]],
      ],
    );
    expect(await db.query(`SELECT ijw_line_no FROM declaration_line WHERE ijw_message_id = $1 ORDER BY 1`, [r.messageId])).toEqual([
      { ijw_line_no: 1 },
      { ijw_line_no: 4 },
    ]);
  });

  it('a message-level error (technical, 0001) rejects the whole declaration: nothing booked, the JW325 header says 0001', async () => {
    const m = declaration([{ bsn: BSN, lines: [line('Y1'), line('Y1')] }]); // TR101: the same line twice
    const before = await counts(db);
    const r = await importMessage(db, declarationFile(m), opts);
    expect(r.status).toBe('afgewezen');
    expect(r.acceptedLines).toBe(0);
    expect(r.findings.map((f) => f.code)).toContain('TR101');
    const after = await counts(db);
    expect(after.lines).toBe(before.lines);
    const answer = await answerOf(r.answerMessageId!);
    expect((await validateXsd({ xml: answer.xml })).findings).toEqual([]);
    expect(answer.message.Header.RetourCodes.RetourCode).toEqual(['0001']);
    expect(answer.message.DeclaratieAntwoord).toBeUndefined();
  });

  it('an unreadable or XSD-invalid file changes nothing', async () => {
    const before = await counts(db);
    await expect(
      importMessage(db, tmpFile('kapot.xml', '<jw323:Bericht xmlns:jw323="http://www.istandaarden.nl/ijw/3_2/jw323/schema"><oeps>'), opts),
    ).rejects.toBeInstanceOf(ImportRefused);
    const xsdBad = declarationFile(declaration()).replace(/$/, '');
    const { readFileSync } = await import('node:fs');
    const bad = tmpFile('xsd.xml', readFileSync(xsdBad, 'utf8').replace('<jw323:GeleverdVolume>4<', '<jw323:GeleverdVolume>vier<'));
    const err = await importMessage(db, bad, opts).catch((e) => e);
    expect(err).toBeInstanceOf(ImportRefused);
    expect(err.errors[0]).toMatchObject({ code: 'XSD', location: expect.stringContaining('GeleverdVolume') });
    await expect(importMessage(db, tmpFile('leeg.xml', ''), opts)).rejects.toBeInstanceOf(ImportRefused);
    expect(await counts(db)).toEqual(before);
  });

  it('a credit line reverses the debit it refers to', async () => {
    const debit = await importMessage(db, declarationFile(declaration([{ bsn: BSN2, lines: [line('C1', { ToewijzingNummer: 10074 })] }])), opts);
    expect(debit.acceptedLines).toBe(1);
    const ledger = async () =>
      (
        await db.query(
          `SELECT COALESCE(sum(amount_cents), 0)::int8 AS c FROM settlement_ledger l JOIN allocation a ON a.product_id = l.product_id AND a.provider_id = l.provider_id WHERE a.assignment_number = '10074'`,
        )
      )[0].c;
    const before = await ledger();
    const credit = retotal(
      declaration([
        {
          bsn: BSN2,
          lines: [
            line('C2', {
              ToewijzingNummer: 10074,
              ProductReferentie: { ReferentieNummer: 'C2', VorigReferentieNummer: 'C1' },
              IngediendBedrag: { Bedrag: 5000, DebetCredit: 'C' },
            }),
          ],
        },
      ]),
    );
    const r = await importMessage(db, declarationFile(credit), opts);
    expect(r).toMatchObject({ acceptedLines: 1, amountCents: -5000, acceptedAmountCents: -5000 });
    expect(await ledger()).toBe(before - 5000);
  });
});

describe('import as of a large file: the XSD check in the pass that judges and stores, the history read once', () => {
  const parallel = { ...opts, largeFileBytes: 0 };

  it('books and rejects the same way', async () => {
    const m = retotal(
      declaration([
        {
          bsn: BSN,
          lines: [
            line('W1', { ProductPeriode: { Begindatum: '2026-06-01', Einddatum: '2026-06-30' } }), // June: April's are declared above (TR389)
            line('W2', {
              ToewijzingNummer: 10073,
              ProductCode: '45A04',
              ProductPeriode: { Begindatum: '2026-06-01', Einddatum: '2026-06-30' },
              ProductTarief: 1500,
              IngediendBedrag: { Bedrag: 6000, DebetCredit: 'D' },
            }),
            line('W3', { ToewijzingNummer: 20001 }), // another provider's allocation: not among the ones read once
            line('W4', {
              ProductPeriode: { Begindatum: '2026-03-01', Einddatum: '2026-03-31' },
              ProductTarief: 1300,
              IngediendBedrag: { Bedrag: 5200, DebetCredit: 'D' },
            }), // not the contract tariff
          ],
        },
      ]),
    );
    const r = await importMessage(db, declarationFile(m), parallel);
    expect(r.findings).toEqual([]);
    expect(r).toMatchObject({ type: 'JW323', duplicate: false, status: 'verwerkt', lines: 4, acceptedLines: 2, rejectedLines: 2 });
    const rows = await db.query(`SELECT line_no, findings FROM ijw_declaration_line WHERE message_id = $1 AND status = 'afgewezen' ORDER BY line_no`, [
      r.messageId,
    ]);
    expect(rows.map((x) => [x.line_no, x.findings.map((f: any) => f.code)])).toEqual([
      [3, ['TR338']],
      [4, ['TR418']],
    ]);
    expect(await db.query(`SELECT ijw_line_no FROM declaration_line WHERE ijw_message_id = $1 ORDER BY 1`, [r.messageId])).toEqual([
      { ijw_line_no: 1 },
      { ijw_line_no: 2 },
    ]);
  });

  it('a file the rules accept but the XSD refuses is rolled back: nothing stored, nothing booked', async () => {
    const { readFileSync } = await import('node:fs');
    const before = await counts(db);
    // an element the reader skips (so the rules and the booking run to the end), which the XSD does not allow
    const text = readFileSync(declarationFile(declaration([{ bsn: BSN, lines: [line('W3')] }])), 'utf8').replace(
      '</jw323:GeleverdVolume>',
      '</jw323:GeleverdVolume><jw323:Onbekend>x</jw323:Onbekend>',
    );
    // as a file (CLI) and as the bytes of an upload (HTTP)
    for (const source of [tmpFile('xsd-parallel.xml', text), Buffer.from(text)]) {
      const err = await importMessage(db, source, parallel).catch((e) => e);
      expect(err).toBeInstanceOf(ImportRefused);
      expect(err.errors[0]).toMatchObject({ code: 'XSD', location: expect.stringContaining('Prestatie[1]') });
    }
    expect(await counts(db)).toEqual(before);
  });

  it("an unreadable file gets the XSD check's reason, as before, and changes nothing", async () => {
    const before = await counts(db);
    const broken = tmpFile('kapot-parallel.xml', '<jw323:Bericht xmlns:jw323="http://www.istandaarden.nl/ijw/3_2/jw323/schema"><oeps>');
    const inline = await importMessage(db, broken, opts).catch((e) => e);
    const worker = await importMessage(db, broken, parallel).catch((e) => e);
    expect(worker).toBeInstanceOf(ImportRefused);
    expect(worker.message).toBe(inline.message);
    expect(worker.errors).toEqual(inline.errors);
    expect(await counts(db)).toEqual(before);
  });
});

describe('the ledger', () => {
  it('always equals the sum of the accepted lines, credits negative, and so do the monitoring facts (random debits and credits)', async () => {
    let k = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ credit: fc.boolean(), volume: fc.integer({ min: 1, max: 9 }), tariffOk: fc.boolean(), nr: fc.constantFrom(10072, 10074) }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (spec) => {
          k++;
          const byClient = new Map<string, ReturnType<typeof line>[]>();
          spec.forEach((s, i) => {
            const tariff = s.tariffOk ? 1250 : 1251;
            const month = `2026-0${1 + (i % 4)}`;
            const last = { '2026-01': 31, '2026-02': 28, '2026-03': 31, '2026-04': 30 }[month];
            const p = line(`P${k}-${i}`, {
              ToewijzingNummer: s.nr,
              ProductPeriode: { Begindatum: `${month}-01`, Einddatum: `${month}-${last}` },
              GeleverdVolume: s.volume,
              ProductTarief: tariff,
              IngediendBedrag: { Bedrag: s.volume * tariff, DebetCredit: s.credit ? 'C' : 'D' },
            });
            const bsn = s.nr === 10072 ? BSN : BSN2;
            byClient.set(bsn, [...(byClient.get(bsn) ?? []), p]);
          });
          await importMessage(db, declarationFile(retotal(declaration([...byClient].map(([bsn, lines]) => ({ bsn, lines }))))), opts);
          const [r] =
            await db.query(`SELECT (SELECT sum(amount_cents) FROM settlement_ledger)::int8 AS ledger, (SELECT sum(lines) FROM settlement_ledger)::int8 AS ledger_lines,
            (SELECT sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END) FROM declaration_line WHERE status = 'geaccepteerd')::int8 AS lines_sum,
            (SELECT count(*) FROM declaration_line WHERE status = 'geaccepteerd')::int8 AS lines_n,
            (SELECT sum(accepted_amount_cents) FROM ijw_message WHERE message_type = 'JW323' AND direction = 'in')::int8 AS messages_sum,
            (SELECT sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END) FROM ijw_declaration_line WHERE status = 'geaccepteerd')::int8 AS ijw_sum`);
          expect(r.ledger).toBe(r.lines_sum);
          expect(r.ledger_lines).toBe(r.lines_n);
          expect(r.messages_sum).toBe(r.ijw_sum);
          expect(r.ledger).toBe(r.ijw_sum);
          // monitoring's facts were brought up to date by the import itself: equal to computing them anew
          for (const [table, select] of DECLARATION_FACTS) {
            const stored = await db.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4, 5`);
            expect(stored.length).toBeGreaterThan(0);
            expect(stored, table).toEqual(await db.query(`${select('true')} ORDER BY 1, 2, 3, 4, 5`));
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});
