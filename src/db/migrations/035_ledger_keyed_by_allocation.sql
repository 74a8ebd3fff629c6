-- Issue 17 §3 (import speed): a ledger row's foreign keys are checked once, against its allocation, instead of five
-- times. Every line in declaration_line is booked on an allocation (the iJW import books only lines whose allocation
-- it found, the demo generates every line on one; nothing writes a line without one), and its municipality, provider,
-- youth and product are that allocation's. One composite key to allocation states exactly that: it proves the row's
-- references (the allocation references municipality, provider, youth and product itself) and that they are the
-- allocation's, which the five single keys did not. On a PostgreSQL server the five checks were the largest single
-- cost of booking a 100,000-line JW323 (≈ 3 s of 4 s for the INSERT, BENCHMARKS.md); one check costs about a third.
-- The columns an allocation is referred to by never change after it is made (a JW301 changes dates, volume, status).
ALTER TABLE allocation ADD CONSTRAINT allocation_booking_key UNIQUE (id, municipality_code, provider_id, youth_id, product_id);
ALTER TABLE declaration_line
  DROP CONSTRAINT declaration_line_allocation_id_fkey,
  DROP CONSTRAINT declaration_line_municipality_code_fkey,
  DROP CONSTRAINT declaration_line_provider_id_fkey,
  DROP CONSTRAINT declaration_line_youth_id_fkey,
  DROP CONSTRAINT declaration_line_product_id_fkey,
  ALTER COLUMN allocation_id SET NOT NULL,
  ALTER COLUMN youth_id SET NOT NULL,
  ADD CONSTRAINT declaration_line_allocation FOREIGN KEY (allocation_id, municipality_code, provider_id, youth_id, product_id)
    REFERENCES allocation (id, municipality_code, provider_id, youth_id, product_id);
-- The import now adds a booked line's sums to the monitoring facts from the rows it books (src/monitoring/facts.ts),
-- no longer by reading them back by message and line number: the index of migration 031 for that is read by nothing.
DROP INDEX declaration_line_ijw_line;
