export function NotYetPage({ title, summary, regionName }: { title: string; summary: string; regionName: string }) {
  return (
    <>
      <h1 className="utrecht-heading-1">{title}</h1>
      <p className="utrecht-paragraph rk-muted">{regionName}</p>
      <div className="utrecht-alert utrecht-alert--info" role="status">
        <p className="utrecht-paragraph">
          <strong>Nog niet beschikbaar.</strong> Dit onderdeel wordt gebouwd. Wat het gaat doen: {summary}
        </p>
      </div>
    </>
  );
}
