-- Issue 17 §3 (import speed): a ledger row (declaration_line) was checked by five foreign keys, one look-up each
-- (allocation, municipality, provider, youth, product): on a PostgreSQL server about three quarters of the cost of
-- booking 100,000 lines (BENCHMARKS.md, seventh session). A row booked on an allocation is now checked by one key,
-- against the allocation as a whole: its municipality, provider, youth and product must be the allocation's. That
-- proves what the five did (the allocation's own keys hold its municipality, provider, youth and product) and more
-- (the row cannot name another youth than its allocation's).
--
-- A composite key is not checked when one of its columns is NULL, and the ledger holds rows without an allocation
-- (lumpsum and availability payments, no youth either). Those are checked as before, through generated columns that
-- carry the value only for a row without an allocation: for a row with one they are NULL, and their keys cost no
-- look-up. A row with an allocation must name a youth (every allocation has one), or the composite key would not be
-- checked at all.
--
-- The allocation's identity (municipality, provider, youth, product) never changes after it is stored (a JW301 that
-- changes an allocation changes its dates, volume and status): a change that would leave booked lines naming another
-- youth than their allocation's is now refused by the key.
ALTER TABLE allocation ADD CONSTRAINT allocation_identity UNIQUE (id, municipality_code, provider_id, youth_id, product_id);

ALTER TABLE declaration_line
  DROP CONSTRAINT declaration_line_allocation_id_fkey,
  DROP CONSTRAINT declaration_line_municipality_code_fkey,
  DROP CONSTRAINT declaration_line_provider_id_fkey,
  DROP CONSTRAINT declaration_line_youth_id_fkey,
  DROP CONSTRAINT declaration_line_product_id_fkey,
  ADD CONSTRAINT declaration_line_allocated_youth CHECK (allocation_id IS NULL OR youth_id IS NOT NULL),
  ADD COLUMN unallocated_municipality_code char(4) GENERATED ALWAYS AS (CASE WHEN allocation_id IS NULL THEN municipality_code END) STORED,
  ADD COLUMN unallocated_provider_id integer GENERATED ALWAYS AS (CASE WHEN allocation_id IS NULL THEN provider_id END) STORED,
  ADD COLUMN unallocated_youth_id bigint GENERATED ALWAYS AS (CASE WHEN allocation_id IS NULL THEN youth_id END) STORED,
  ADD COLUMN unallocated_product_id integer GENERATED ALWAYS AS (CASE WHEN allocation_id IS NULL THEN product_id END) STORED,
  ADD CONSTRAINT declaration_line_allocation FOREIGN KEY (allocation_id, municipality_code, provider_id, youth_id, product_id)
    REFERENCES allocation (id, municipality_code, provider_id, youth_id, product_id),
  ADD CONSTRAINT declaration_line_unallocated_municipality FOREIGN KEY (unallocated_municipality_code) REFERENCES municipality (code),
  ADD CONSTRAINT declaration_line_unallocated_provider FOREIGN KEY (unallocated_provider_id) REFERENCES provider (id),
  ADD CONSTRAINT declaration_line_unallocated_youth FOREIGN KEY (unallocated_youth_id) REFERENCES youth (id),
  ADD CONSTRAINT declaration_line_unallocated_product FOREIGN KEY (unallocated_product_id) REFERENCES product (id);

-- Indexes that every booked line paid for and no query reads by:
-- - declaration_line_youth (youth_id): no query selects or joins ledger rows by youth (they are reached by
--   municipality, provider and period, or by allocation); it served the youth key's check when a youth is removed.
--   That key now holds only for rows without an allocation: a partial index on that column serves its check, and a
--   booked line (with an allocation) writes nothing to it.
-- - declaration_month_fact_year (municipality_code, year, provider_id): the leading columns of the fact's key
--   (declaration_month_fact_key, migration 031), which serves every look-up it served, in the same order.
DROP INDEX declaration_line_youth;
CREATE INDEX declaration_line_unallocated_youth ON declaration_line (unallocated_youth_id) WHERE unallocated_youth_id IS NOT NULL;
DROP INDEX declaration_month_fact_year;
