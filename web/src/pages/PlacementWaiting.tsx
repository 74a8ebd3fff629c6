// Waiting lists and flows: waiting time per care function and municipality (median, 90th percentile), in-, through-
// and outflow per month, length of stay and bridging places; waiting times published by providers (CSV import,
// all or nothing, with a report per row); and the region's settings.
import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  api,
  ApiError,
  type Me,
  type PlacementFlows,
  type PlacementSettings,
  type PlacementVocabulary,
  type PublishedWait,
  type WaitingTimeRow,
} from '../api.ts';
import type { ApiResponses } from '../api.generated.ts';
import { formatCount, formatDate, formatMonth } from '../format.ts';
import { careTypeName } from '../names.ts';
import { Chart, PALETTE } from '../components/Chart.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { ErrorAlert, Section, todayIso } from './PlacementShared.tsx';

const days = (x: number | null) => (x === null ? '–' : x.toLocaleString('nl-NL'));

export function WaitingTab({ regionId }: { regionId: string }) {
  const [asOf, setAsOf] = useState(todayIso());
  const q = `asOf=${asOf}`;
  const waits = useQuery({
    queryKey: ['placement', regionId, 'waits', q],
    queryFn: () => api<{ from: string; asOf: string; rows: WaitingTimeRow[] }>(`/api/regions/${regionId}/placement/waiting-times?${q}`),
  });
  const flows = useQuery({
    queryKey: ['placement', regionId, 'flows', q],
    queryFn: () => api<PlacementFlows>(`/api/regions/${regionId}/placement/flows?${q}`),
  });
  const perFunction = (waits.data?.rows ?? []).filter((r) => r.municipalityCode === null);
  const detail = (waits.data?.rows ?? []).filter((r) => r.municipalityCode !== null);

  const waitOption = useMemo(
    () => ({
      grid: { left: 170, right: 30, top: 40, bottom: 30 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', name: 'dagen' },
      yAxis: { type: 'category', inverse: true, data: perFunction.map((r) => r.careFunctionLabel) },
      series: [
        { type: 'bar', name: 'Mediaan', itemStyle: { color: PALETTE[0] }, data: perFunction.map((r) => r.medianDays ?? 0) },
        { type: 'bar', name: '90e percentiel', itemStyle: { color: PALETTE[1] }, data: perFunction.map((r) => r.p90Days ?? 0) },
      ],
    }),
    [waits.data],
  );
  const flowOption = useMemo(() => {
    const m = flows.data?.months ?? [];
    return {
      grid: { left: 50, right: 30, top: 40, bottom: 30 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: m.map((x) => formatMonth(x.month)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: 'Instroom', stack: 'in', itemStyle: { color: PALETTE[2] }, data: m.map((x) => x.inflow) },
        { type: 'bar', name: 'Doorstroom', stack: 'in', itemStyle: { color: PALETTE[5] }, data: m.map((x) => x.throughflow) },
        { type: 'bar', name: 'Uitstroom', itemStyle: { color: PALETTE[4] }, data: m.map((x) => x.outflow) },
        { type: 'line', name: 'In zorg (einde maand)', itemStyle: { color: PALETTE[0] }, data: m.map((x) => x.inCare) },
      ],
    };
  }, [flows.data]);

  const waitColumns = (first: Column<WaitingTimeRow>): Column<WaitingTimeRow>[] => [
    first,
    { key: 'placed', header: 'Geplaatst', numeric: true, value: (r) => r.placed },
    { key: 'median', header: 'Mediaan wachttijd (dagen)', numeric: true, value: (r) => r.medianDays, render: (r) => days(r.medianDays) },
    { key: 'p90', header: '90e percentiel (dagen)', numeric: true, value: (r) => r.p90Days, render: (r) => days(r.p90Days) },
    { key: 'now', header: 'Wacht nu', numeric: true, value: (r) => r.waitingNow },
    { key: 'nowMedian', header: 'Mediaan wachtend (dagen)', numeric: true, value: (r) => r.medianWaitingNowDays, render: (r) => days(r.medianWaitingNowDays) },
    { key: 'longest', header: 'Langst wachtend (dagen)', numeric: true, value: (r) => r.longestWaitingNowDays, render: (r) => days(r.longestWaitingNowDays) },
  ];
  type Month = PlacementFlows['months'][number];
  type Stay = PlacementFlows['stays'][number];
  return (
    <>
      <div className="rk-filters">
        <div className="rk-inline-field">
          <label className="utrecht-form-label" htmlFor="wacht-peildatum">
            Peildatum
          </label>
          <input
            id="wacht-peildatum"
            type="date"
            max={todayIso()}
            className="utrecht-textbox utrecht-textbox--html-input"
            value={asOf}
            onChange={(e) => e.target.value && setAsOf(e.target.value)}
          />
        </div>
      </div>
      <ErrorAlert error={waits.error ?? flows.error} />
      {waits.data && (
        <Section
          id="wachttijden"
          title="Wachttijd per zorgfunctie"
          tools={
            <a className="utrecht-link" href={`/api/regions/${regionId}/placement/waiting-times.csv?${q}`} download>
              Download CSV <span className="rk-visually-hidden">wachttijden per zorgfunctie en gemeente</span>
            </a>
          }
        >
          <p className="utrecht-paragraph rk-muted">
            Van aanmelding tot plaatsing, in kalenderdagen, voor plaatsingen van {waits.data.from} tot en met {waits.data.asOf}; en hoe lang wie nu wacht al
            wacht. Zorgfunctie: de soort plek waar geplaatst is, of de gevraagde zorgvorm.
          </p>
          <Chart
            option={waitOption}
            height={70 + 34 * perFunction.length}
            testId="grafiek-wachttijden"
            label="Staafdiagram mediaan en 90e percentiel van de wachttijd per zorgfunctie; de tabel eronder heeft dezelfde cijfers"
          />
          <DataTable
            rows={perFunction}
            rowKey={(r) => r.careFunction ?? 'totaal'}
            testId="tabel-wachttijden"
            columns={waitColumns({ key: 'cf', header: 'Zorgfunctie', value: (r) => r.careFunctionLabel })}
            caption="Wachttijd per zorgfunctie (laatste rij: alle zorgvormen)"
          />
          <h3 className="utrecht-heading-3">Per zorgfunctie en gemeente</h3>
          <DataTable
            rows={detail}
            rowKey={(r) => `${r.careFunction}-${r.municipalityCode}`}
            testId="tabel-wachttijden-gemeente"
            columns={[
              { key: 'muni', header: 'Gemeente', value: (r) => r.municipalityName },
              ...waitColumns({ key: 'cf', header: 'Zorgfunctie', value: (r) => r.careFunctionLabel }).slice(0),
            ]}
            caption="Wachttijd per zorgfunctie en gemeente (gemeente van de jeugdige)"
          />
        </Section>
      )}
      {flows.data && (
        <Section id="stromen" title="In-, door- en uitstroom per maand">
          <p className="utrecht-paragraph rk-muted">
            Instroom: een plaatsing zonder verblijf ervoor; doorstroom: binnen 7 dagen na een vorig verblijf; uitstroom: einde zonder vervolgplek binnen 7
            dagen. Een crisisverblijf langer dan 28 dagen telt als overbruggingsplek, niet als crisis.
          </p>
          <Chart
            option={flowOption}
            testId="grafiek-stromen"
            label="Staafdiagram in-, door- en uitstroom per maand met een lijn voor het aantal jeugdigen in zorg; de tabel eronder heeft dezelfde cijfers"
          />
          <DataTable<Month>
            rows={flows.data.months}
            rowKey={(m) => m.month}
            testId="tabel-stromen"
            caption="Stromen per maand; in zorg, crisis en overbrugging op de laatste dag van de maand"
            columns={[
              { key: 'month', header: 'Maand', value: (m) => m.month, render: (m) => formatMonth(m.month) },
              { key: 'in', header: 'Instroom', numeric: true, value: (m) => m.inflow },
              { key: 'through', header: 'Doorstroom', numeric: true, value: (m) => m.throughflow },
              { key: 'out', header: 'Uitstroom', numeric: true, value: (m) => m.outflow },
              { key: 'care', header: 'In zorg', numeric: true, value: (m) => m.inCare },
              { key: 'crisis', header: 'Crisis (≤ 28 dagen)', numeric: true, value: (m) => m.crisis },
              { key: 'bridging', header: 'Overbruggingsplek', numeric: true, value: (m) => m.bridging },
            ]}
          />
          <h3 className="utrecht-heading-3">Verblijfsduur per zorgvorm</h3>
          <DataTable<Stay>
            rows={flows.data.stays}
            rowKey={(s) => s.groupType}
            testId="tabel-verblijfsduur"
            caption="Verblijfsduur in dagen: beëindigde en lopende verblijven"
            columns={[
              { key: 'type', header: 'Zorgvorm', value: (s) => s.typeLabel },
              { key: 'ended', header: 'Beëindigd', numeric: true, value: (s) => s.ended },
              { key: 'endedMedian', header: 'Mediaan duur beëindigd', numeric: true, value: (s) => s.medianEndedDays, render: (s) => days(s.medianEndedDays) },
              { key: 'ongoing', header: 'Lopend', numeric: true, value: (s) => s.ongoing },
              {
                key: 'ongoingMedian',
                header: 'Mediaan duur lopend',
                numeric: true,
                value: (s) => s.medianOngoingDays,
                render: (s) => days(s.medianOngoingDays),
              },
              { key: 'bridging', header: 'Nu overbruggingsplek', numeric: true, value: (s) => s.bridgingNow },
            ]}
          />
        </Section>
      )}
    </>
  );
}

export function PublishedTab({ regionId, me, v }: { regionId: string; me: Me; v: PlacementVocabulary }) {
  const queryClient = useQueryClient();
  const rows = useQuery({
    queryKey: ['placement', regionId, 'published'],
    queryFn: () => api<PublishedWait[]>(`/api/regions/${regionId}/placement/provider-waiting-times`),
  });
  const [report, setReport] = useState<{ ok: boolean; text: string; errors: { line: number; field: string; detail: string }[] } | null>(null);
  const upload = async (file: File) => {
    setReport(null);
    const csv = await file.text();
    try {
      const res = await api<ApiResponses['POST /api/regions/{regionId}/placement/provider-waiting-times']>(
        `/api/regions/${regionId}/placement/provider-waiting-times`,
        { method: 'POST', json: { fileName: file.name, csv } },
      );
      setReport({
        ok: true,
        text: `${res.imported} regels ingelezen uit ${file.name}; ${res.pendingCount} regels met een onbekende of dubbelzinnige aanbieder apart gezet (maak of kies de aanbieder bij Aanbieders → Onbekende namen); ${res.errorCount} velden geweigerd${res.errorCount > res.errors.length ? ` (de eerste ${res.errors.length} hieronder)` : ''}.`,
        errors: [
          ...res.pending.map((x) => ({ line: x.line, field: 'aanbieder', detail: `'${x.provider}' niet gevonden${x.suggestion ? `; ${x.suggestion}` : ''}` })),
          ...res.errors,
        ].sort((a, b) => a.line - b.line),
      });
      await queryClient.invalidateQueries({ queryKey: ['placement', regionId, 'published'] });
    } catch (e) {
      const errors =
        e instanceof ApiError
          ? e.fields.map((f) => {
              const m = /^regel (\d+): (.*)$/.exec(f.field);
              return { line: Number(m?.[1] ?? 0), field: m?.[2] ?? f.field, detail: f.detail };
            })
          : [];
      setReport({ ok: false, text: (e as Error).message, errors });
    }
  };
  const canImport = me.role === 'regio' || me.role === 'coordinator';
  const columns: Column<PublishedWait>[] = [
    { key: 'provider', header: 'Aanbieder', value: (r) => r.providerName },
    { key: 'offer', header: 'Aanbod', value: (r) => r.offer },
    { key: 'type', header: 'Type', value: (r) => careTypeName(r.careType) },
    { key: 'location', header: 'Locatie', value: (r) => r.location || '–' },
    { key: 'target', header: 'Doelgroep en expertise', value: (r) => [r.targetGroup, r.expertise].filter(Boolean).join('; ') || '–' },
    { key: 'funding', header: 'Financiering', value: (r) => r.funding || '–' },
    { key: 'intake', header: 'Weken tot intake', numeric: true, value: (r) => r.weeksToIntake, render: (r) => r.weeksToIntake?.toLocaleString('nl-NL') ?? '–' },
    {
      key: 'treatment',
      header: 'Weken tot behandeling',
      numeric: true,
      value: (r) => r.weeksToTreatment,
      render: (r) => r.weeksToTreatment?.toLocaleString('nl-NL') ?? '–',
    },
    {
      key: 'date',
      header: 'Peildatum',
      value: (r) => r.reportedOn,
      render: (r) => (r.reportedPrecision === 'maand' ? formatMonth(r.reportedOn) : formatDate(r.reportedOn)),
    },
    { key: 'source', header: 'Bron en opmerking', value: (r) => [r.source, r.remarks].filter(Boolean).join(' · ') || '–' },
  ];
  return (
    <Section id="gepubliceerd" title="Wachttijden zoals aanbieders ze publiceren">
      {canImport && (
        <div className="rk-card">
          <p className="utrecht-paragraph">
            Lees een CSV in met de kopregel <code>{v.csvHeader}</code> (puntkomma of komma; weken met een decimale komma, zoals 39,105; datum JJJJ-MM-DD,
            DD-MM-JJJJ of alleen een maand; aanbieder als AGB-code, KvK-nummer, naam of handelsnaam). Per regel: een gevonden aanbieder wordt opgeslagen, een
            onbekende naam wordt apart gezet met de best passende aanbieders, een onleesbare regel wordt geweigerd met veld en regelnummer.
          </p>
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="wacht-csv">
              CSV-bestand met wachttijden
            </label>
            <input
              id="wacht-csv"
              type="file"
              accept=".csv,text/csv"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) upload(f);
                e.target.value = '';
              }}
            />
          </div>
        </div>
      )}
      {report && (
        <div className={`utrecht-alert utrecht-alert--${report.ok ? 'ok' : 'error'}`} role={report.ok ? 'status' : 'alert'} data-testid="import-resultaat">
          <p className="utrecht-paragraph">{report.text}</p>
        </div>
      )}
      {report && report.errors.length > 0 && (
        <DataTable
          rows={report.errors}
          rowKey={(e) => `${e.line}-${e.field}`}
          testId="tabel-importfouten"
          caption="Regels die niet gelezen konden worden"
          columns={[
            { key: 'line', header: 'Regel', numeric: true, value: (e) => e.line },
            { key: 'field', header: 'Kolom', value: (e) => e.field },
            { key: 'detail', header: 'Fout', value: (e) => e.detail },
          ]}
        />
      )}
      <ErrorAlert error={rows.error} />
      {rows.data && (
        <DataTable
          rows={rows.data}
          columns={columns}
          rowKey={(r) => `${r.providerId}-${r.offer}-${r.careType}-${r.location}`}
          testId="tabel-gepubliceerd"
          caption={`${formatCount(rows.data.length)} gepubliceerde wachttijden (laatste melding per aanbod)${me.role === 'aanbieder' ? '; u ziet de uwe' : ''}`}
        />
      )}
    </Section>
  );
}

export function SettingsTab({ regionId }: { regionId: string }) {
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: ['placement', regionId, 'settings'],
    queryFn: () => api<PlacementSettings>(`/api/regions/${regionId}/placement/settings`),
  });
  const [draft, setDraft] = useState<{ stale: string; reservation: string } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const d = draft ?? (settings.data ? { stale: String(settings.data.staleAfterHours), reservation: String(settings.data.reservationHours) } : null);
  const save = async () => {
    if (!d) return;
    try {
      await api(`/api/regions/${regionId}/placement/settings`, {
        method: 'PUT',
        json: { staleAfterHours: Number(d.stale), reservationHours: Number(d.reservation) },
      });
      setMessage({ ok: true, text: 'Instellingen opgeslagen.' });
      setDraft(null);
      await queryClient.invalidateQueries({ queryKey: ['placement', regionId] });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <Section id="instellingen" title="Instellingen van het coördinatiepunt">
      <ErrorAlert error={settings.error} />
      {message && (
        <div className={`utrecht-alert utrecht-alert--${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'}>
          <p className="utrecht-paragraph">{message.text}</p>
        </div>
      )}
      {d && (
        <form
          className="rk-filters"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="inst-verouderd">
              Cijfers verouderd na (uren)
            </label>
            <input
              id="inst-verouderd"
              type="number"
              min={1}
              max={2160}
              required
              className="utrecht-textbox utrecht-textbox--html-input"
              value={d.stale}
              onChange={(e) => setDraft({ ...d, stale: e.target.value })}
            />
          </div>
          <div className="rk-inline-field">
            <label className="utrecht-form-label" htmlFor="inst-reservering">
              Reservering geldt (uren)
            </label>
            <input
              id="inst-reservering"
              type="number"
              min={1}
              max={720}
              required
              className="utrecht-textbox utrecht-textbox--html-input"
              value={d.reservation}
              onChange={(e) => setDraft({ ...d, reservation: e.target.value })}
            />
          </div>
          <button type="submit" className="utrecht-button utrecht-button--primary-action" style={{ alignSelf: 'flex-end' }}>
            Opslaan
          </button>
        </form>
      )}
    </Section>
  );
}
