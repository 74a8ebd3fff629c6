-- Monitoring reads a yearly fact per municipality × provider × product × youth instead of every declaration
-- line: the same sums and the same de-duplicated persons, about ten times fewer rows. Accepted lines only,
-- credits negative. Refreshed by src/monitoring/facts.ts after anything writes declaration lines.
CREATE MATERIALIZED VIEW declaration_year_fact AS
SELECT d.municipality_code, d.provider_id, d.product_id, d.youth_id,
       extract(year FROM d.period_start)::int AS year,
       sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int8 AS amount_cents,
       count(*)::int AS lines
FROM declaration_line d
WHERE d.status = 'geaccepteerd'
GROUP BY 1, 2, 3, 4, 5
WITH NO DATA;
CREATE UNIQUE INDEX declaration_year_fact_key ON declaration_year_fact (municipality_code, year, provider_id, product_id, youth_id);
