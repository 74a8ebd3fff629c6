// The public page (/openbaar): without logging in and without personal data. Which kinds of residential
// places exist per region, how many are free now, and how long the waits typically are.
import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type PublicPlacement } from '../api.ts';
import { formatCount, formatDate } from '../format.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { careTypeName } from '../names.ts';

/** A count on the public page: 1 to 4 is never shown (small numbers could point to a child or a family); 0 is. */
export const suppressSmall = (n: number | null | undefined, minimum = 5) =>
  n === null || n === undefined ? '–' : n > 0 && n < minimum ? `< ${minimum}` : formatCount(n);

/** The region of /openbaar/<region>, or null for /openbaar (every region). */
export const publicRegionOf = (pathname: string) => /^\/openbaar\/([a-z0-9-]+)\/?$/.exec(pathname)?.[1] ?? null;

export function PlacementPublicPage() {
  const data = useQuery({ queryKey: ['public-placement'], queryFn: () => api<PublicPlacement>('/api/public/placement') });
  const only = publicRegionOf(location.pathname);
  const regions = (data.data?.regions ?? []).filter((r) => only === null || r.regionId === only);
  const min = data.data?.minimumCount ?? 5;
  const count = (n: number | null | undefined) => suppressSmall(n, min);
  useEffect(() => {
    document.title = 'Plekken en wachttijden jeugdhulp · Regiekamer Jeugd';
  }, []);
  const weeks = (x: number | null) => (x === null ? 'minder dan 5 plaatsingen' : `${x.toLocaleString('nl-NL')} weken`);
  return (
    <div className="rk-app">
      <a className="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">
        Naar de inhoud
      </a>
      <header className="rk-header">
        <div className="rk-header__brand">
          <span className="rk-logo" aria-hidden="true">
            RJ
          </span>
          <span className="rk-header__title">Regiekamer Jeugd</span>
        </div>
        <div className="rk-header__tools">
          <a href="/" style={{ color: '#fff' }}>
            Inloggen
          </a>
        </div>
      </header>
      <main id="inhoud" className="rk-main" tabIndex={-1} style={{ maxWidth: '80rem' }}>
        <h1 className="utrecht-heading-1">Plekken en wachttijden in de jeugdhulp</h1>
        <p className="utrecht-paragraph">
          Voor ouders, jongeren en iedereen die wil weten welke woon- en verblijfsplekken er in de regio zijn en hoe lang het wachten is. Hier staan geen
          persoonsgegevens: alleen aantallen, en aantallen van 1 tot {min} tonen we niet (er staat dan &lsquo;&lt; {min}&rsquo;). Een vrije plek is een plek
          waarvoor personeel is en die niemand bezet of gereserveerd heeft; of die plek bij een kind past, bepaalt het coördinatiepunt.
        </p>
        {data.isError && (
          <div className="utrecht-alert utrecht-alert--error" role="alert">
            {data.error.message}
          </div>
        )}
        {data.isPending && (
          <p className="utrecht-paragraph" role="status">
            Laden …
          </p>
        )}
        {data.data && regions.length === 0 && (
          <p className="utrecht-paragraph">{only ? `Voor regio '${only}' zijn er geen openbare gegevens.` : "Er zijn nog geen regio's met plekken."}</p>
        )}
        {only && regions.length > 0 && (
          <p className="utrecht-paragraph">
            <a href="/openbaar" className="utrecht-link">
              Alle regio's
            </a>
          </p>
        )}
        {regions.map((r) => {
          const columns: Column<PublicPlacement['regions'][number]['capacity'][number]>[] = [
            { key: 'type', header: 'Soort plek', value: (c) => c.typeLabel },
            { key: 'groups', header: 'Groepen en gezinnen', numeric: true, value: (c) => c.groups, render: (c) => count(c.groups) },
            { key: 'places', header: 'Plekken', numeric: true, value: (c) => c.physical, render: (c) => count(c.physical) },
            { key: 'staffed', header: 'Met personeel', numeric: true, value: (c) => c.staffed, render: (c) => count(c.staffed) },
            { key: 'free', header: 'Nu vrij', numeric: true, value: (c) => c.free, render: (c) => count(c.free) },
            {
              key: 'open',
              header: 'Groepen open · beperkt · vol',
              value: (c) => c.open,
              render: (c) => `${count(c.open)} · ${count(c.limited)} · ${count(c.closed)}`,
            },
            {
              key: 'wait',
              header: 'Gangbare wachttijd (mediaan)',
              value: (c) => r.waits.find((w) => w.groupType === c.groupType)?.medianWeeks ?? null,
              render: (c) => {
                const w = r.waits.find((x) => x.groupType === c.groupType);
                return w ? weeks(w.medianWeeks) : 'geen plaatsingen';
              },
            },
          ];
          return (
            <section key={r.regionId} className="rk-section" aria-labelledby={`regio-${r.regionId}`}>
              <h2 id={`regio-${r.regionId}`} className="utrecht-heading-2">
                {r.name}
              </h2>
              <DataTable
                rows={r.capacity}
                columns={columns}
                rowKey={(c) => c.groupType}
                testId={`openbaar-${r.regionId}`}
                caption={`Plekken per soort in ${r.name}, stand ${formatDate(data.data!.asOf)}; wachttijd over de laatste 12 maanden`}
              />
              {r.published.length > 0 && (
                <DataTable
                  rows={r.published}
                  rowKey={(p) => p.careType}
                  testId={`openbaar-gepubliceerd-${r.regionId}`}
                  caption={`Wachttijden zoals ${count(r.published.reduce((a, p) => a + p.providers, 0))} aanbieders ze publiceren (mediaan)`}
                  columns={[
                    { key: 'type', header: 'Soort hulp', value: (p) => careTypeName(p.careType) },
                    { key: 'providers', header: 'Aanbieders', numeric: true, value: (p) => p.providers, render: (p) => count(p.providers) },
                    {
                      key: 'intake',
                      header: 'Weken tot intake',
                      numeric: true,
                      value: (p) => p.medianWeeksToIntake,
                      render: (p) => (p.medianWeeksToIntake === null ? '–' : p.medianWeeksToIntake.toLocaleString('nl-NL')),
                    },
                    {
                      key: 'treatment',
                      header: 'Weken tot behandeling',
                      numeric: true,
                      value: (p) => p.medianWeeksToTreatment,
                      render: (p) => p.medianWeeksToTreatment?.toLocaleString('nl-NL') ?? '–',
                    },
                  ]}
                />
              )}
            </section>
          );
        })}
      </main>
    </div>
  );
}
