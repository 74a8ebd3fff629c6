-- The yearly and monthly declaration facts (migrations 005 and 007) become tables with the same columns, rows and
-- indexes, so that an import can bring the facts of what it booked up to date in its own transaction (the groups of
-- its municipality × provider × year, recomputed from declaration_line) instead of recomputing every group of every
-- region after it (3–8 s per upload, whatever its size). What the rows hold is defined once, in
-- src/monitoring/facts.ts (FACT_GRAIN, yearFactSelect, monthFactSelect); after a demo or bulk load refreshFacts
-- rebuilds them whole. An upgraded database gets its facts back at start-up (ensureFacts).
DROP MATERIALIZED VIEW declaration_year_fact;
DROP MATERIALIZED VIEW declaration_month_fact;

CREATE TABLE declaration_year_fact (
  municipality_code char(4) NOT NULL,
  provider_id   integer NOT NULL,
  product_id    integer NOT NULL,
  youth_id      bigint,                           -- NULL for lumpsum / availability payments
  year          integer NOT NULL,
  amount_cents  bigint NOT NULL,                  -- net: credits negative
  lines         integer NOT NULL
);
CREATE UNIQUE INDEX declaration_year_fact_key ON declaration_year_fact (municipality_code, year, provider_id, product_id, youth_id);

CREATE TABLE declaration_month_fact (
  municipality_code char(4) NOT NULL,
  provider_id   integer NOT NULL,
  product_id    integer NOT NULL,
  youth_id      bigint,
  year          integer NOT NULL,
  months        integer NOT NULL,                 -- bitmask of the months with an accepted line (bit 0 = January)
  m01 bigint NOT NULL, m02 bigint NOT NULL, m03 bigint NOT NULL, m04 bigint NOT NULL, m05 bigint NOT NULL, m06 bigint NOT NULL,
  m07 bigint NOT NULL, m08 bigint NOT NULL, m09 bigint NOT NULL, m10 bigint NOT NULL, m11 bigint NOT NULL, m12 bigint NOT NULL,
  l01 integer NOT NULL, l02 integer NOT NULL, l03 integer NOT NULL, l04 integer NOT NULL, l05 integer NOT NULL, l06 integer NOT NULL,
  l07 integer NOT NULL, l08 integer NOT NULL, l09 integer NOT NULL, l10 integer NOT NULL, l11 integer NOT NULL, l12 integer NOT NULL
);
CREATE INDEX declaration_month_fact_year ON declaration_month_fact (municipality_code, year, provider_id);
