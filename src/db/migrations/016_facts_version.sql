-- A version per region of everything monitoring reads (the declaration facts and the allocation trajectories),
-- raised in the transaction that changes them. The monitoring cache (src/monitoring/cache.ts) keeps an answer only
-- while its region's version stands, so a figure is never older than the last committed import, on any server process.
CREATE TABLE facts_version (
  region_id text PRIMARY KEY REFERENCES region (id) ON DELETE CASCADE,
  version bigint NOT NULL DEFAULT 1
);
