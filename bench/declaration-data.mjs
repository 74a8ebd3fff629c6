// The benches' generated JW323 (bench:ijw, bench:upload-health): one provider's declaration to one municipality,
// deterministic, every line valid against the rules and the XSD, each line on an allocation of its own (numbers
// 100001 …), with the allocations and tariffs the database needs for the file to be accepted.
// Runs under tsx (it imports the catalogue and the demo's BSNs from src/).

/**
 * `lines` declaration lines (1–3 per client) from provider `agb` to `municipality` (default: Twente's first
 * municipality by code), in a message with this identification and declaration number.
 */
export async function makeDeclaration(lines, { municipality, agb = '98110001', identification = 'BENCH000001', number = 'BENCH202604' } = {}) {
  const { REGION_PRESETS, municipalities } = await import('../src/catalog/index.ts');
  const { syntheticBsn } = await import('../src/demo/index.ts');
  const products = REGION_PRESETS.twente.products;
  municipality ??= municipalities()
    .filter((m) => m.jeugdzorgregio === 'Twente')
    .map((m) => m.code)
    .sort()[0];
  let seed = 12345;
  const rnd = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const months = [
    ['2026-02-01', '2026-02-28'],
    ['2026-03-01', '2026-03-31'],
    ['2026-04-01', '2026-04-30'],
  ];
  const clients = [];
  const allocations = [];
  let n = 0,
    c = 0,
    total = 0,
    nr = 100000;
  while (n < lines) {
    const bsn = syntheticBsn(c + 1);
    const k = Math.min(1 + rnd(3), lines - n); // 1–3 lines per client, ~2 on average
    const prestaties = [];
    for (let j = 0; j < k; j++, n++) {
      const p = products[rnd(products.length)];
      const [from, to] = months[j % 3];
      const volume = p.unit === '14' ? 28 : p.unit === '16' ? 8 + rnd(12) : 2 + rnd(20);
      const amount = volume * p.tariffCents;
      total += amount;
      const allocation = ++nr;
      prestaties.push({
        ProductReferentie: { ReferentieNummer: `R${n}` },
        ToewijzingNummer: allocation,
        ProductCategorie: p.code.slice(0, 2),
        ProductCode: p.code,
        ProductPeriode: { Begindatum: from, Einddatum: to },
        GeleverdVolume: volume,
        Eenheid: p.unit,
        ProductTarief: p.tariffCents,
        IngediendBedrag: { Bedrag: amount, DebetCredit: 'D' },
      });
      allocations.push({
        municipalityCode: municipality,
        providerAgb: agb,
        bsn,
        assignmentNumber: allocation,
        productCategory: p.code.slice(0, 2),
        productCode: p.code,
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        volume: 400,
        unit: p.unit,
        frequency: '6',
        budgetCents: null,
      });
    }
    clients.push({ Bsn: bsn, Prestaties: { Prestatie: prestaties } });
    c++;
  }
  const envelope = {
    Header: {
      BerichtCode: '490',
      BerichtVersie: 3,
      BerichtSubversie: 2,
      Afzender: agb,
      Ontvanger: municipality,
      BerichtIdentificatie: { Identificatie: identification, Dagtekening: '2026-05-06' },
      XsdVersie: { BasisschemaXsdVersie: '1.0.0', BerichtXsdVersie: '1.0.0' },
    },
    Declaratie: {
      DeclaratieNummer: number,
      DeclaratiePeriode: { Begindatum: '2026-04-01', Einddatum: '2026-04-30' },
      DeclaratieDagtekening: '2026-05-06',
      TotaalIngediendBedrag: { TotaalBedrag: total, DebetCredit: 'D' },
      Clienten: { Client: [] },
    },
  };
  const tariffs = products.map((p) => ({
    municipalityCode: municipality,
    productCode: p.code,
    validFrom: '2026-01-01',
    validTo: null,
    amountCents: p.tariffCents,
    unit: p.unit,
  }));
  return { envelope, clients, allocations, tariffs, products };
}
