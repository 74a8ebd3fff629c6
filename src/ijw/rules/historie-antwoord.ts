// Layer "historie" for the declaration answer (JW325) against the declaration (JW323) it answers, found in the message
// store by DeclaratieIdentificatie (a received JW323 of the provider the answer goes to, at this municipality) and its
// lines by ProductReferentie (ijw_declaration_line). TR304 (the line under the same client) is in historie.ts.
//
// TR337, TR371 and TR376 have no return code in the standard ("n.v.t.": nobody answers a JW325). Regiekamer reports
// them with 0001 (bericht is afgekeurd om technische redenen), the closest code.
import type { JW325Bericht, JW325Client, JW325Prestatie } from '../schema.ts';
import type { AnsweredLine, HistorySnapshot } from './history-types.ts';
import { defineRule, type RuleContext, type RuleDef } from './types.ts';
import { each } from './walk.ts';

const NONE = 'De standaard geeft geen retourcode (n.v.t.: een declaratie-antwoord wordt niet beantwoord); gemeld met 0001.';

/** A rule about the header of a JW325: judged once, with the first snapshot (at the first client, or at the end when there are none). */
function headerRule(
  code: string,
  text: string,
  note: string,
  check: (m: JW325Bericht, h: HistorySnapshot, ctx: RuleContext<'JW325'>) => void,
): RuleDef<'JW325'> {
  return defineRule({
    code,
    retourcode: '0001',
    layer: 'historie',
    messages: ['JW325'],
    text,
    note: `${note} ${NONE}`,
    start: (ctx) => {
      let head: JW325Bericht | undefined;
      let done = false;
      const judge = (h: HistorySnapshot | undefined) => {
        if (done || !head || !h?.answeredDeclaration) return;
        done = true;
        check(head, h, ctx);
      };
      return {
        head(m) {
          head = m;
        },
        client(_c, _at, h) {
          judge(h);
        },
        end(_m, h) {
          judge(h);
        },
      };
    },
  });
}

const tr337 = headerRule(
  'TR337',
  'De DeclaratieIdentificatie dient overeen te komen met de BerichtIdentificatie van een eerder ontvangen Declaratiebericht.',
  'Een eerder ontvangen JW323 van de aanbieder aan wie het antwoord gaat, aan deze gemeente, met deze Identificatie en Dagtekening.',
  (m, h, ctx) => {
    const id = m.Header.DeclaratieIdentificatie;
    const d = h.answeredDeclaration!();
    if (!d)
      ctx.report('/Bericht/Header/DeclaratieIdentificatie/Identificatie', `geen eerder ontvangen declaratie met identificatie ${id?.Identificatie ?? ''}`);
    else if (d.dagtekening && id?.Dagtekening !== d.dagtekening)
      ctx.report('/Bericht/Header/DeclaratieIdentificatie/Dagtekening', `de declaratie ${id?.Identificatie} heeft dagtekening ${d.dagtekening}`);
  },
);

const tr371 = headerRule(
  'TR371',
  'Waarde moet overeenkomen met waarde van XsdVersie uit het declaratiebericht dat gerelateerd is op basis van DeclaratieIdentificatie.',
  'Geldt voor XsdVersieDeclaratie; de XsdVersie van ontvangen berichten wordt bewaard sinds migratie 023 (van oudere zwijgt de regel).',
  (m, h, ctx) => {
    const d = h.answeredDeclaration!();
    const v = m.Header.XsdVersieDeclaratie;
    const mine = `${v?.BasisschemaXsdVersie ?? ''}/${v?.BerichtXsdVersie ?? ''}`;
    if (d?.xsdVersion && mine !== d.xsdVersion)
      ctx.report('/Bericht/Header/XsdVersieDeclaratie', `XsdVersie van de declaratie is ${d.xsdVersion.replace('/', ' / ')}, hier ${mine.replace('/', ' / ')}`);
  },
);

const tr376 = headerRule(
  'TR376',
  'THet DeclaratieNummer dient overeen te komen met het DeclaratieNummer van een eerder ontvangen Declaratie.',
  'Het DeclaratieNummer van de declaratie die het antwoord beantwoordt (gevonden op DeclaratieIdentificatie).',
  (m, h, ctx) => {
    const d = h.answeredDeclaration!();
    const nr = m.DeclaratieAntwoord?.DeclaratieNummer;
    if (d && nr !== undefined && d.declarationNumber !== null && nr !== d.declarationNumber)
      ctx.report('/Bericht/DeclaratieAntwoord/DeclaratieNummer', `de declaratie heeft nummer ${d.declarationNumber}, niet ${nr}`);
  },
);

/** Visit every Prestatie of a JW325 client with the line of the answered declaration it names (undefined: none). */
function eachAnswered(
  c: JW325Client,
  base: string,
  h: HistorySnapshot | undefined,
  fn: (p: JW325Prestatie, path: string, line: AnsweredLine | undefined) => void,
) {
  if (!h?.answeredLine || !h.answeredDeclaration?.()) return;
  each(c.Prestaties?.Prestatie, `${base}/Prestaties`, 'Prestatie', (p, path) => {
    const ref = p.ProductReferentie?.ReferentieNummer;
    fn(p, path, typeof ref === 'string' ? h.answeredLine!(ref, c.Bsn) : undefined);
  });
}

const tr366 = defineRule({
  code: 'TR366',
  retourcode: '9366',
  layer: 'historie',
  messages: ['JW325'],
  text: 'Iedere Prestatie in een declaratieantwoord is gerelateerd aan een declaratiebericht op basis van ProductReferentie.',
  note: 'Een regel met dit ReferentieNummer in de declaratie die het antwoord beantwoordt (een antwoord op een onbekende declaratie is TR337).',
  start: (ctx) => ({
    client(c, at, h) {
      eachAnswered(c, at.path, h, (p, path, line) => {
        if (!line)
          ctx.report(`${path}/ProductReferentie/ReferentieNummer`, `prestatie ${p.ProductReferentie?.ReferentieNummer ?? ''} staat niet in de declaratie`);
      });
    },
  }),
});

/** The elements of a Prestatie TR367 compares with the declaration's line: [path below the Prestatie, value here, value there]. */
const compared = (p: JW325Prestatie, l: AnsweredLine): [string, unknown, unknown][] => [
  ['ProductReferentie/VorigReferentieNummer', p.ProductReferentie?.VorigReferentieNummer ?? null, l.previousReference],
  ['ToewijzingNummer', p.ToewijzingNummer ?? null, l.assignmentNumber],
  ['ProductCategorie', p.ProductCategorie ?? null, l.productCategory],
  ['ProductCode', p.ProductCode ?? null, l.productCode],
  ['ProductPeriode/Begindatum', p.ProductPeriode?.Begindatum ?? null, l.periodStart],
  ['ProductPeriode/Einddatum', p.ProductPeriode?.Einddatum ?? null, l.periodEnd],
  ['GeleverdVolume', p.GeleverdVolume ?? null, l.volume],
  ['Eenheid', p.Eenheid ?? null, l.unit],
  ['ProductTarief', p.ProductTarief ?? null, l.tariffCents],
  ['IngediendBedrag/Bedrag', p.IngediendBedrag?.Bedrag ?? null, l.amountCents],
  ['IngediendBedrag/DebetCredit', p.IngediendBedrag?.DebetCredit ?? null, l.debitCredit],
];

const tr367 = defineRule({
  code: 'TR367',
  retourcode: '9367',
  layer: 'historie',
  messages: ['JW325'],
  text: 'Waarde moet overeenkomen met waarde uit het declaratiebericht dat gerelateerd is op basis van ProductReferentie.',
  note: 'Ieder element van de Prestatie (VorigReferentieNummer, ToewijzingNummer, product, periode, volume, eenheid, tarief, bedrag en debet/credit) tegen de regel met hetzelfde ReferentieNummer in de declaratie; ieder verschil apart.',
  start: (ctx) => ({
    client(c, at, h) {
      eachAnswered(c, at.path, h, (p, path, line) => {
        if (!line) return;
        for (const [el, here, there] of compared(p, line)) {
          if (String(here ?? '') !== String(there ?? ''))
            ctx.report(`${path}/${el}`, `${el.slice(el.lastIndexOf('/') + 1)} is ${here ?? '(leeg)'}, in de declaratie ${there ?? '(leeg)'}`);
        }
      });
    },
  }),
});

export const ANTWOORD_RULES: RuleDef<any>[] = [tr337, tr366, tr367, tr371, tr376];
