// Shared pieces for the iJW tests: the standard's examples (standards/ijw-3.2, a copy in the repository),
// a clean declaration to vary, and running the rules on a message object.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFullMessage, readMessage } from '../../src/ijw/reader.ts';
import { writeMessage } from '../../src/ijw/writer.ts';
import { checkMessage, type CheckOptions } from '../../src/ijw/rules/engine.ts';
import type { JW323Bericht, JW323Prestatie, MessageMap, MessageType } from '../../src/ijw/schema.ts';

export const STANDARD = fileURLToPath(new URL('../../standards/ijw-3.2/', import.meta.url));
export const EXAMPLES = path.join(STANDARD, 'examples');
export const example = (type: MessageType) => path.join(EXAMPLES, `${type}.xml`);
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What standards/SOURCE.md promises for each example: the codes it breaks (XSD for schema errors). */
export const EXPECTED: Record<MessageType, string[]> = {
  JW301: [],
  JW302: [],
  JW305: [],
  JW306: [],
  JW307: [],
  JW308: [],
  JW315: ['XSD'],
  JW316: [],
  JW317: ['CS003'],
  JW318: ['XSD'],
  JW319: [],
  JW320: [],
  JW323: ['TR101'],
  JW325: [],
};

export const TODAY = '2026-11-23';

export async function exampleModel<T extends MessageType>(type: T): Promise<MessageMap[T]> {
  return (await readFullMessage(example(type))).message as MessageMap[T];
}

/** The rule codes the rules find in a message object (written to XML and read back, as a file would be). */
export async function codesOf<T extends MessageType>(type: T, message: MessageMap[T], opts: CheckOptions = {}): Promise<string[]> {
  const r = await checkMessage(readMessage({ xml: writeMessage(type, message) }), { today: TODAY, ...opts });
  return r.findings.map((f) => f.code);
}

export async function findingsOf<T extends MessageType>(type: T, message: MessageMap[T], opts: CheckOptions = {}) {
  return (await checkMessage(readMessage({ xml: writeMessage(type, message) }), { today: TODAY, ...opts })).findings;
}

export const MUNICIPALITY = '0384';
export const PROVIDER = '65656055';
export const BSN = '999900006';
export const BSN2 = '999900018';

export function line(ref: string, over: Partial<JW323Prestatie> = {}): JW323Prestatie {
  return {
    ProductReferentie: { ReferentieNummer: ref },
    ToewijzingNummer: 10072,
    ProductCategorie: '45',
    ProductCode: '45A03',
    ProductPeriode: { Begindatum: '2026-04-01', Einddatum: '2026-04-30' },
    GeleverdVolume: 4,
    Eenheid: '04',
    ProductTarief: 1250,
    IngediendBedrag: { Bedrag: 5000, DebetCredit: 'D' },
    ...over,
  };
}

/** A declaration for April 2026 that breaks no rule: clients with their lines; the total is computed. */
export function declaration(
  clients: { bsn: string; lines: JW323Prestatie[] }[] = [
    {
      bsn: BSN,
      lines: [
        line('RN001'),
        line('RN002', {
          ToewijzingNummer: 10073,
          ProductCode: '45A04',
          GeleverdVolume: 16,
          ProductTarief: 1500,
          IngediendBedrag: { Bedrag: 24000, DebetCredit: 'D' },
        }),
      ],
    },
  ],
): JW323Bericht {
  const total = clients.flatMap((c) => c.lines).reduce((s, p) => s + (p.IngediendBedrag.DebetCredit === 'C' ? -1 : 1) * p.IngediendBedrag.Bedrag, 0);
  return {
    Header: {
      BerichtCode: '490',
      BerichtVersie: 3,
      BerichtSubversie: 2,
      Afzender: PROVIDER,
      Ontvanger: MUNICIPALITY,
      BerichtIdentificatie: { Identificatie: 'D2026040001', Dagtekening: '2026-05-06' },
      XsdVersie: { BasisschemaXsdVersie: '1.0.0', BerichtXsdVersie: '1.0.0' },
    },
    Declaratie: {
      DeclaratieNummer: 'DN2026041',
      DeclaratiePeriode: { Begindatum: '2026-04-01', Einddatum: '2026-04-30' },
      DeclaratieDagtekening: '2026-05-06',
      TotaalIngediendBedrag: { TotaalBedrag: Math.abs(total), DebetCredit: total < 0 ? 'C' : 'D' },
      Clienten: { Client: clients.map((c) => ({ Bsn: c.bsn, Prestaties: { Prestatie: c.lines } })) },
    },
  };
}

/** Recompute TotaalIngediendBedrag after changing lines (so TR358 stays quiet unless a test wants otherwise). */
export function retotal(m: JW323Bericht): JW323Bericht {
  const total = m.Declaratie.Clienten.Client.flatMap((c) => c.Prestaties.Prestatie).reduce(
    (s, p) => s + (p.IngediendBedrag.DebetCredit === 'C' ? -1 : 1) * p.IngediendBedrag.Bedrag,
    0,
  );
  m.Declaratie.TotaalIngediendBedrag = { TotaalBedrag: Math.abs(total), DebetCredit: total < 0 ? 'C' : 'D' };
  return m;
}
