// The short cuts the rules take for the usual line (issue 17 §3: `ijw validate` on 10,000 lines): they must judge as
// the plain way does, also in the cases the short cut hands back to it. Worked examples for the paths a short cut
// skips (TR416 and TR101 make keys only where two lines could match; TR315/TR316 keep the line's path and make the
// element's path for a finding) and a property test for CS337's comparison by characters.
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMessage, readMessageBatches, type ReadEvent } from '../../src/ijw/reader.ts';
import { textChunks } from '../../src/ijw/source.ts';
import { sameMonth } from '../../src/ijw/rules/bericht.ts';
import { tv } from '../../src/ijw/rules/xslt.ts';
import { BSN, BSN2, declaration, example, findingsOf, line, retotal } from './helpers.ts';

const P = (c: number, l: number) => `/Bericht/Declaratie/Clienten/Client[${c}]/Prestaties/Prestatie[${l}]`;

describe('de korte wegen van de regels geven hetzelfde oordeel', () => {
  it("CS337: de maand op tekens vergeleken is translate(., '-', '') van de stylesheet, ook voor vreemde datums", () => {
    const plain = (b: string, e: string) => {
      const yb = b.replace(/-/g, ''),
        ye = e.replace(/-/g, '');
      return yb.slice(0, 4) === ye.slice(0, 4) && yb.slice(4, 6) === ye.slice(4, 6);
    };
    const date = fc.oneof(
      fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '9', '-', ' '), maxLength: 12 }),
      fc
        .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
        .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
    );
    fc.assert(
      fc.property(date, date, (b, e) => sameMonth(b, e) === plain(b, e)),
      { numRuns: 3000, seed: 17 },
    );
    expect(sameMonth('2026-03-01', '2026-03-31')).toBe(true);
    expect(sameMonth('2026-03-15', '2026-04-15')).toBe(false);
    expect(sameMonth('2026-3-15', '2026-31-01')).toBe(true); // 20263… and 20263…: the stylesheet compares digits, not parts
  });

  it('testvalue leest een lijst, een patroon en een ontkenning zoals voorheen', () => {
    expect(tv('83', '!83')).toBe(false);
    expect(tv('14', ' 14, 16 ,83 ')).toBe(true);
    expect(tv('16', '!14,16')).toBe(false);
    expect(tv('1234AB', '#1000ZZ')).toBe(true);
    expect(tv(undefined, '')).toBe(true);
    expect(tv('x', '*')).toBe(true);
    expect(tv({}, '#')).toBe(true);
  });

  it('TR416: twee gelijke debetregels die niet naast elkaar staan, en ook in een cliënt met meer dan 32 regels', async () => {
    const other = (ref: string, n: number) => line(ref, { ToewijzingNummer: 20000 + n });
    const m = declaration([{ bsn: BSN, lines: [line('A1'), other('A2', 1), line('A3')] }]);
    const f = (await findingsOf('JW323', m)).filter((x) => x.code === 'TR416');
    expect(f.map((x) => x.locations)).toEqual([[P(1, 1), P(1, 3)]]);

    const many = Array.from({ length: 40 }, (_, i) => other(`B${i}`, i));
    many.push(other('B40', 7)); // the same key as line 8
    const big = (await findingsOf('JW323', retotal(declaration([{ bsn: BSN, lines: many }])))).filter((x) => x.code === 'TR416');
    expect(big.map((x) => x.locations)).toEqual([[P(1, 8), P(1, 41)]]);
  });

  it("TR416: een '|' in een deel van de sleutel laat de regel zelf beslissen (twee sleutels kunnen dan dezelfde tekst worden)", async () => {
    // code 'X|2026-04-01' with category '45' joins as …|45|10072|X|2026-04-01; no other line has that: no finding
    const m = declaration([{ bsn: BSN, lines: [line('C1', { ProductCode: 'X|Y' }), line('C2', { ProductCode: 'X|Y' }), line('C3')] }]);
    const f = (await findingsOf('JW323', m)).filter((x) => x.code === 'TR416');
    expect(f.map((x) => x.locations)).toEqual([[P(1, 1), P(1, 2)]]);
  });

  it('TR101: dezelfde sleutel in een cliënt (ook niet naast elkaar) en hetzelfde BSN drie keer, gemeld bij de laatste', async () => {
    const m = declaration([
      { bsn: BSN, lines: [line('D1'), line('D2', { ToewijzingNummer: 3 }), line('D1', { ToewijzingNummer: 4 })] },
      { bsn: BSN2, lines: [line('D4')] },
      { bsn: BSN, lines: [line('D5')] },
      { bsn: BSN, lines: [line('D6')] },
    ]);
    const f = (await findingsOf('JW323', retotal(m))).filter((x) => x.code === 'TR101');
    expect(f.map((x) => x.locations ?? [x.location])).toEqual([
      [P(1, 3), P(1, 1)],
      ['/Bericht/Declaratie/Clienten/Client[4]', '/Bericht/Declaratie/Clienten/Client[1]', '/Bericht/Declaratie/Clienten/Client[3]'],
    ]);
  });

  it('TR315 en TR316 noemen de elementen van de regels die ze onthouden hebben', async () => {
    const credit = (ref: string, vorig: string) =>
      line(ref, { ProductReferentie: { ReferentieNummer: ref, VorigReferentieNummer: vorig }, IngediendBedrag: { Bedrag: 5000, DebetCredit: 'C' } });
    const m = declaration([
      { bsn: BSN, lines: [line('E1'), credit('E2', 'X9')] },
      { bsn: BSN2, lines: [credit('E3', 'X9'), credit('E4', 'E1')] },
    ]);
    const f = await findingsOf('JW323', retotal(m));
    expect(f.filter((x) => x.code === 'TR315').map((x) => x.locations)).toEqual([
      [`${P(1, 2)}/ProductReferentie/VorigReferentieNummer`, `${P(2, 1)}/ProductReferentie/VorigReferentieNummer`],
    ]);
    expect(f.filter((x) => x.code === 'TR316').map((x) => x.locations)).toEqual([
      [`${P(1, 1)}/ProductReferentie/ReferentieNummer`, `${P(2, 2)}/ProductReferentie/VorigReferentieNummer`],
    ]);
  });

  it('de gebeurtenissen per stuk van het bestand (readMessageBatches) zijn die van readMessage, in dezelfde volgorde', async () => {
    for (const type of ['JW301', 'JW315', 'JW323', 'JW325'] as const) {
      const one: ReadEvent[] = [];
      for await (const e of readMessage(example(type), { chunkBytes: 97 })) one.push(e);
      const batched: ReadEvent[] = [];
      let batches = 0;
      for await (const b of readMessageBatches(example(type), { chunkBytes: 97 })) {
        batches++;
        batched.push(...b);
      }
      expect(batched).toEqual(one);
      expect(batches).toBeLessThanOrEqual(one.length);
    }
  });

  it('een bestand in stukken met twee buffers om en om: dezelfde tekst, ook met tekens die over een grens vallen', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rk-pieces-'));
    try {
      const text = `<a>${'zorg € 1,00 — ë 𝄞 '.repeat(500)}</a>`;
      const file = path.join(dir, 'x.xml');
      writeFileSync(file, text);
      for (const chunkBytes of [1, 2, 3, 7, 64, 4096]) {
        let got = '';
        for await (const s of textChunks(file, { chunkBytes })) got += s;
        expect(got, `stukken van ${chunkBytes} bytes`).toBe(text);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
