// The rekentool: cost-price build-up, verblijfsintensiteiten, gezinshuizen, indexation, tariff sets with their
// budget impact. Calculations run in the browser on the same model as the server (src/tariffs/model.ts), so every
// change to an input recalculates at once; saving goes through the API.
import { useQuery } from '@tanstack/react-query';
import { api, type Me, type TariffOverview } from '../api.ts';
import { useSearchParam } from '../router.tsx';
import { TariffsCalculator } from './TariffsCalculator.tsx';
import { TariffsBands } from './TariffsBands.tsx';
import { TariffsHomes } from './TariffsHomes.tsx';
import { TariffsSets } from './TariffsSets.tsx';
import { TariffsIndex } from './TariffsIndex.tsx';

const VIEWS = [
  { id: 'kostprijs', title: 'Kostprijsopbouw' },
  { id: 'intensiteit', title: 'Verblijfsintensiteiten' },
  { id: 'gezinshuis', title: 'Gezinshuizen' },
  { id: 'indexatie', title: 'Indexatie' },
  { id: 'sets', title: 'Tariefsets en budgeteffect' },
];

export function TariffsPage({ regionId, me }: { regionId: string; me: Me }) {
  const overview = useQuery({ queryKey: ['tariffs', regionId], queryFn: () => api<TariffOverview>(`/api/regions/${regionId}/tariffs`) });
  const [viewParam, setView] = useSearchParam('weergave');
  const view = VIEWS.find((v) => v.id === viewParam)?.id ?? 'kostprijs';
  const o = overview.data;
  const example = o?.normSets.find((n) => n.isExample);

  return (
    <>
      <h1 className="utrecht-heading-1">Rekentool tarieven</h1>
      <p className="utrecht-paragraph rk-muted">
        Tarieven opgebouwd volgens de AMvB reële prijzen Jeugdwet (art. 2.3 Besluit Jeugdwet): personeelskosten, overige cliëntgebonden kosten, overhead en
        indexatie. Bedragen rekenen exact en worden op vaste punten op centen afgerond.
      </p>
      <nav className="rk-tabs" aria-label="Onderdelen van de rekentool">
        {VIEWS.map((v) => (
          <a
            key={v.id}
            href={`?weergave=${v.id}`}
            className="rk-tab"
            aria-current={view === v.id ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              setView(v.id);
            }}
          >
            {v.title}
          </a>
        ))}
      </nav>
      {overview.isError && (
        <div className="utrecht-alert utrecht-alert--error" role="alert">
          {overview.error.message}
        </div>
      )}
      {overview.isPending && (
        <p className="utrecht-paragraph" role="status">
          Rekentool laden …
        </p>
      )}
      {example && (
        <div className="utrecht-alert utrecht-alert--warning" role="note" style={{ margin: '1rem 0' }}>
          <p className="utrecht-paragraph">
            <strong>Voorbeeldnormen.</strong> {o!.normSets.every((n) => n.isExample) ? 'Alle normensets' : 'Een deel van de normensets'} van deze regio{' '}
            {o!.normSets.every((n) => n.isExample) ? 'zijn' : 'is'} een voorbeeld (demo): indicatieve bedragen, geen vastgestelde normen. Vervang ze door de
            normen die de regio vaststelt (opslaan als nieuwe versie).
          </p>
        </div>
      )}
      {o && o.normSets.length === 0 && (
        <div className="utrecht-alert utrecht-alert--info" role="status">
          <p className="utrecht-paragraph">Deze regio heeft nog geen normenset.</p>
        </div>
      )}
      {o && o.normSets.length > 0 && view === 'kostprijs' && <TariffsCalculator regionId={regionId} overview={o} />}
      {o && view === 'intensiteit' && <TariffsBands regionId={regionId} overview={o} me={me} />}
      {o && o.normSets.length > 0 && view === 'gezinshuis' && <TariffsHomes regionId={regionId} overview={o} />}
      {o && view === 'indexatie' && <TariffsIndex regionId={regionId} overview={o} />}
      {o && view === 'sets' && <TariffsSets regionId={regionId} overview={o} me={me} />}
    </>
  );
}
