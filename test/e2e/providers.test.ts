// Providers in Chromium (harness: test/helpers/e2e.ts): an Open House application from submission to admission
// (the region opens a window, the provider applies and shows its evidence with a PDF, the region sees and downloads
// that file, admits and the contract exists), the provider-list import with its column mapping and per-row report,
// and the dossier (agenda, minutes with an agreement, ladder with its stored letters); every screen passes axe.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveBrowser, startE2E, type E2E } from '../helpers/e2e.ts';
import { pdf } from '../providers/zip.ts';

describe.skipIf(!haveBrowser)('aanbieders en toelating in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  }, 300_000);
  afterAll(async () => {
    await e2e?.stop();
  });

  it('an application from submission to admission', async () => {
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(new Date());
    const region = await e2e.newPage();
    await e2e.login(region, 'regio');
    await region.goto(`${e2e.base}/twente/aanbieders`);
    await region.getByTestId('tabel-aanbieders').waitFor();
    await e2e.expectAccessible(region, 'aanbiedersregister');
    await region.goto(`${e2e.base}/twente/aanbieders?tab=toelating`);
    await region.getByTestId('tabel-vensters').waitFor();
    await region.getByText('Toetredingsmoment openen of productgroep sluiten').click();
    await region.getByLabel('Open van').fill('2020-01-01');
    await region.getByLabel('Open tot en met').fill('2099-12-31');
    await region.getByRole('button', { name: 'Opslaan', exact: true }).click();
    await region.getByText('Toetredingsmoment geopend.').waitFor();
    await region.getByTestId('tabel-uitstap').waitFor(); // the exit rule for the demo year
    await e2e.expectAccessible(region, 'toelating, regio');

    const provider = await e2e.newPage();
    await e2e.login(provider, 'aanbieder');
    await provider.goto(`${e2e.base}/twente/aanbieders?tab=toelating`);
    await provider.getByLabel('Gemeente', { exact: true }).selectOption({ label: 'Enschede' });
    await provider.getByRole('button', { name: 'Aanvraag indienen' }).click();
    const submitted = await provider.getByTestId('aanvraag-resultaat').textContent();
    const id = Number(/Aanvraag (\d+) ingediend/.exec(submitted ?? '')?.[1]);
    expect(id).toBeGreaterThan(0);
    await provider.getByRole('button', { name: `Aanvraag ${id} openen` }).click();
    await provider.getByTestId('aanvraag-status').waitFor();
    await e2e.expectAccessible(provider, 'aanvraag, aanbieder');
    const expiring = new Set(['kwaliteitskader', 'certificaat', 'verzekering']);
    const evidencePdf = pdf('HKZ-certificaat 2026');
    for (const code of ['kwaliteitskader', 'kit_barrieremodel', 'bibob', 'governancecode', 'wnt', 'certificaat', 'verzekering']) {
      await provider.locator(`#bewijs-${code}`).fill(`Bewijsstuk ${code}`);
      if (expiring.has(code)) await provider.locator(`#geldig-${code}`).fill('2030-12-31');
      if (code === 'kwaliteitskader')
        await provider.locator('#bestand-kwaliteitskader').setInputFiles({ name: 'HKZ-certificaat.pdf', mimeType: 'application/pdf', buffer: evidencePdf });
      await provider.locator(`[data-testid="eis-${code}"] button`).click();
      await provider.locator(`[data-testid="eis-${code}"]`).getByText(`Bewijsstuk ${code}`, { exact: false }).first().waitFor();
    }
    await expect(provider.getByTestId('eis-verzekering').textContent()).resolves.toContain('geldig tot 2030-12-31');
    await provider.getByTestId('eis-kwaliteitskader').getByRole('link', { name: 'HKZ-certificaat.pdf' }).waitFor();
    await e2e.expectAccessible(provider, 'aanvraag met bewijsbestand, aanbieder');

    await region.reload();
    await region.getByRole('button', { name: `Aanvraag ${id} openen` }).click();
    // the region sees the provider's PDF with its checksum and downloads exactly those bytes
    const evidenceLink = region.getByTestId('eis-kwaliteitskader').getByRole('link', { name: 'HKZ-certificaat.pdf' });
    await evidenceLink.waitFor();
    const sha = createHash('sha256').update(evidencePdf).digest('hex');
    await expect(region.getByTestId('eis-kwaliteitskader').textContent()).resolves.toContain(`SHA-256 ${sha.slice(0, 12)}`);
    const [download] = await Promise.all([region.waitForEvent('download'), evidenceLink.click()]);
    expect(download.suggestedFilename()).toBe('HKZ-certificaat.pdf');
    expect(
      createHash('sha256')
        .update(readFileSync((await download.path())!))
        .digest('hex'),
    ).toBe(sha);
    await region.getByRole('button', { name: 'In behandeling nemen' }).click();
    await region.getByTestId('aanvraag-melding').getByText('In behandeling').waitFor();
    await region.getByRole('button', { name: 'Toelaten' }).click();
    await region.getByTestId('aanvraag-melding').getByText('Toegelaten').waitFor();
    await region
      .getByTestId('aanvraag-status')
      .getByText(/Toegelaten op/)
      .waitFor(); // the status refetches after the message
    await expect(region.getByTestId('aanvraag-status').textContent()).resolves.toMatch(new RegExp(`Toegelaten op ${today} door .+ · contract \\d+`));
    await expect(region.getByTestId('aanvraag-verloop').textContent()).resolves.toMatch(/Ingediend door .*In behandeling door .*Toegelaten door/);
    await e2e.expectAccessible(region, 'aanvraag toegelaten');
    // the provider sees its own application admitted
    await provider.reload();
    await expect(provider.getByTestId(`status-${id}`).textContent()).resolves.toBe('Toegelaten');
  }, 240_000); // many steps and five axe checks: 69 s alone on PGlite, over 120 s with the other core busy

  it('imports a provider list: mapping step, per-row dry run, then the accepted rows', async () => {
    const region = await e2e.newPage();
    await e2e.login(region, 'regio');
    await region.goto(`${e2e.base}/twente/aanbieders?tab=inlezen`);
    const csv = ['Wie;AGB;Postcode;Plaats', 'Zorgboerderij De Esch B.V.;77000001;7511 AB;Enschede', 'Praktijk Foutje;1234;7511 AB;Enschede'].join('\n');
    await region.getByLabel('Bestand (CSV of XLSX)').setInputFiles({ name: 'lijst.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await region.getByText("geen kolom voor de naam van de aanbieder: kies welke kolom 'naam' is").waitFor();
    await e2e.expectAccessible(region, 'import, kolommen');
    await region.getByLabel('naam (verplicht)').selectOption('Wie');
    await region.getByRole('button', { name: 'Proefrun met deze kolommen' }).click();
    await expect(region.getByTestId('import-telling').textContent()).resolves.toMatch(
      /2 regels: 1 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 geweigerd.*nog niets opgeslagen/,
    );
    await expect(region.getByTestId('import-regels').textContent()).resolves.toContain("AGB-code: AGB-code '1234' moet uit precies 8 cijfers bestaan");
    await e2e.expectAccessible(region, 'import, proefrun');
    await region.getByRole('button', { name: 'Opslaan: 1 goedgekeurde regels' }).click();
    await region.getByRole('heading', { name: 'Opgeslagen' }).waitFor();
    await region.goto(`${e2e.base}/twente/aanbieders`);
    await region.getByLabel(/Zoeken op naam/).fill('De Esch');
    await region.getByText('Zorgboerderij De Esch B.V.').click();
    await expect(region.getByTestId('aanbieder-gegevens').textContent()).resolves.toContain('77000001');
    await e2e.expectAccessible(region, 'aanbieder na import');
  });

  it('a quarterly conversation agenda and a notice of default as PDF', async () => {
    const region = await e2e.newPage();
    await e2e.login(region, 'regio');
    const providers = await (await region.request.get(`${e2e.base}/api/regions/twente/providers`)).json();
    const p = providers.find((x: any) => x.segments.length > 0 && !x.ended);
    await region.goto(`${e2e.base}/twente/aanbieders?tab=register&aanbieder=${p.id}`);
    await region.getByTestId('agenda').waitFor();
    await expect(region.getByTestId('agenda').textContent()).resolves.toMatch(/Volume, geld en cliënten.*cliënten/);
    await region.getByLabel('Datum', { exact: true }).fill('2025-02-01');
    await region.getByLabel('Tekortkoming').fill('Verantwoording 2024 niet ontvangen');
    await region.getByRole('button', { name: 'Waarschuwingsbrief vastleggen' }).click();
    await region.getByRole('button', { name: 'Ingebrekestelling vastleggen' }).waitFor();
    await region.getByLabel('Datum', { exact: true }).fill('2025-03-01');
    await region.getByLabel('Tekortkoming').fill('Nog steeds geen verantwoording');
    await region.getByRole('button', { name: 'Ingebrekestelling vastleggen' }).click();
    const link = region.getByRole('link', { name: 'Brief ingebrekestelling (PDF)' });
    await link.waitFor();
    await e2e.expectAccessible(region, 'dossier met agenda en handhaving');
    const href = await link.getAttribute('href');
    const pdf = await region.request.get(`${e2e.base}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await expect(region.getByTestId('agenda').textContent()).resolves.toContain('Ingebrekestelling op 2025-03-01: Nog steeds geen verantwoording');
    // both letters are kept as documents of the dossier
    await expect(region.getByTestId('tabel-documenten').textContent()).resolves.toMatch(
      /ingebrekestelling-\d+-2025-03-01\.pdf.*waarschuwing-\d+-2025-02-01\.pdf/,
    );
  });

  it('minutes of a quarterly conversation with one agreement; the open agreement is flagged when overdue', async () => {
    const region = await e2e.newPage();
    await e2e.login(region, 'regio');
    const providers = await (await region.request.get(`${e2e.base}/api/regions/twente/providers`)).json();
    const p = providers.find((x: any) => x.segments.length > 0 && !x.ended);
    await region.goto(`${e2e.base}/twente/aanbieders?tab=register&aanbieder=${p.id}`);
    await region.getByRole('heading', { name: 'Verslag vastleggen' }).waitFor();
    const quarter = await region.getByLabel('Gesprek over').inputValue();
    await region.getByLabel('Datum van het gesprek').fill('2025-04-10');
    await region.getByLabel('Deelnemers (één per regel)').fill('J. de Vries (regio)\nA. Jansen (aanbieder)');
    await region.getByLabel('Verslag', { exact: true }).fill('Cijfers besproken; de wachttijd ambulant is te lang.');
    await region.getByLabel('Afspraak', { exact: true }).fill('Plan om de wachttijd te verkorten');
    await region.getByLabel('Eigenaar').fill('A. Jansen');
    await region.getByLabel('Uiterlijk').fill('2025-05-01');
    await region.getByRole('button', { name: 'Verslag opslaan' }).click();
    const [y, q] = quarter.split('-');
    await region.getByTestId('verslag-melding').getByText(`Verslag van K${q} ${y} vastgelegd met 1 afspraak.`).waitFor();
    await expect(region.getByTestId('tabel-afspraken').textContent()).resolves.toMatch(/Plan om de wachttijd te verkorten.*A\. Jansen.*2025-05-01.*te laat/);
    await expect(region.getByRole('heading', { name: `Gesprek over K${q} ${y}, gehouden op 2025-04-10` }).isVisible()).resolves.toBe(true);
    // one more agreement for the same conversation, due in the future: open, not late
    await region.getByText(`Afspraak toevoegen aan K${q} ${y}`).click();
    await region.getByLabel('Nieuwe afspraak').fill('Wachttijden elk kwartaal publiceren');
    await region.getByLabel('Eigenaar van de afspraak').fill('Regio: J. de Vries');
    await region.getByLabel('Uiterste datum').fill('2099-12-31');
    await region.getByRole('button', { name: 'Afspraak toevoegen', exact: true }).click();
    await region.getByTestId('verslag-melding').getByText(`Afspraak toegevoegd aan het gesprek over K${q} ${y}.`).waitFor();
    await region.getByTestId('tabel-afspraken').getByText('2 openstaande afspraken, waarvan 1 te laat').waitFor();
    await e2e.expectAccessible(region, 'dossier met verslag en afspraken');
    // the provider reads its own minutes and agreements, without the forms
    const provider = await e2e.newPage();
    await e2e.login(provider, 'aanbieder');
    const own = (await (await provider.request.get(`${e2e.base}/api/auth/me`)).json()).providerId;
    await provider.goto(`${e2e.base}/twente/aanbieders?tab=register&aanbieder=${own}`);
    await provider.getByRole('heading', { name: 'Verslagen en afspraken' }).waitFor();
    await provider.getByRole('heading', { name: 'Documenten' }).waitFor();
    expect(await provider.getByRole('button', { name: 'Verslag opslaan' }).count()).toBe(0);
    await e2e.expectAccessible(provider, 'dossier, aanbieder');
  });
});
