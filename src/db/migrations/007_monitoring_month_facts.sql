-- Costs by month and quarter need persons counted once per month and per quarter, so the youth must stay in
-- the grain. A row per month would be as many rows as declaration lines (one line per youth × product × month),
-- so the grain is the yearly one of migration 005 (municipality × provider × product × youth × year) with the
-- months folded into columns: `months` is a bitmask of the months with an accepted line (bit 0 = January),
-- m01..m12 the net amount per month, l01..l12 the number of lines per month (for the drill-down). Persons in
-- month k = distinct youths whose mask has bit k-1; in a quarter, any of its three bits. Accepted lines only,
-- credits negative. Refreshed with the yearly facts by src/monitoring/facts.ts.
CREATE MATERIALIZED VIEW declaration_month_fact AS
SELECT d.municipality_code, d.provider_id, d.product_id, d.youth_id,
       extract(year FROM d.period_start)::int AS year,
       bit_or(1 << (extract(month FROM d.period_start)::int - 1))::int AS months,
       COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE extract(month FROM d.period_start) = 1), 0)::int8 AS m01,
       COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE extract(month FROM d.period_start) = 2), 0)::int8 AS m02,
       COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE extract(month FROM d.period_start) = 3), 0)::int8 AS m03,
       COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE extract(month FROM d.period_start) = 4), 0)::int8 AS m04,
       COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE extract(month FROM d.period_start) = 5), 0)::int8 AS m05,
       COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE extract(month FROM d.period_start) = 6), 0)::int8 AS m06,
       COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE extract(month FROM d.period_start) = 7), 0)::int8 AS m07,
       COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE extract(month FROM d.period_start) = 8), 0)::int8 AS m08,
       COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE extract(month FROM d.period_start) = 9), 0)::int8 AS m09,
       COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE extract(month FROM d.period_start) = 10), 0)::int8 AS m10,
       COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE extract(month FROM d.period_start) = 11), 0)::int8 AS m11,
       COALESCE(sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END) FILTER (WHERE extract(month FROM d.period_start) = 12), 0)::int8 AS m12,
       (count(*) FILTER (WHERE extract(month FROM d.period_start) = 1))::int AS l01,
       (count(*) FILTER (WHERE extract(month FROM d.period_start) = 2))::int AS l02,
       (count(*) FILTER (WHERE extract(month FROM d.period_start) = 3))::int AS l03,
       (count(*) FILTER (WHERE extract(month FROM d.period_start) = 4))::int AS l04,
       (count(*) FILTER (WHERE extract(month FROM d.period_start) = 5))::int AS l05,
       (count(*) FILTER (WHERE extract(month FROM d.period_start) = 6))::int AS l06,
       (count(*) FILTER (WHERE extract(month FROM d.period_start) = 7))::int AS l07,
       (count(*) FILTER (WHERE extract(month FROM d.period_start) = 8))::int AS l08,
       (count(*) FILTER (WHERE extract(month FROM d.period_start) = 9))::int AS l09,
       (count(*) FILTER (WHERE extract(month FROM d.period_start) = 10))::int AS l10,
       (count(*) FILTER (WHERE extract(month FROM d.period_start) = 11))::int AS l11,
       (count(*) FILTER (WHERE extract(month FROM d.period_start) = 12))::int AS l12
FROM declaration_line d
WHERE d.status = 'geaccepteerd'
GROUP BY 1, 2, 3, 4, 5
WITH NO DATA;
-- region queries go through the region's municipalities: municipality first, like the yearly facts' key
CREATE INDEX declaration_month_fact_year ON declaration_month_fact (municipality_code, year, provider_id);
