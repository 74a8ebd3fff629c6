-- The flows (src/monitoring/flows.ts) count trajectories: one youth's allocations within one of the region's
-- top-level segments (start = first start, end = last end, open while any allocation is open, residential when
-- any product's CBS hulpvorm is "met verblijf"). For a whole region they are read from here instead of grouping
-- every allocation on each request; a municipality or provider scope groups its own allocations (the same SQL,
-- tested equal). Withdrawn allocations do not count. Refreshed with the facts (src/monitoring/facts.ts).
CREATE MATERIALIZED VIEW allocation_trajectory AS
SELECT m.region_id, a.youth_id, COALESCE(s.parent_id, s.id) AS segment_id, min(a.start_date) AS start_date,
       CASE WHEN bool_or(a.end_date IS NULL) THEN NULL ELSE max(a.end_date) END AS end_date,
       bool_or(COALESCE(np.hulpvorm_name LIKE 'Met verblijf%', false)) AS residential
FROM allocation a
JOIN municipality m ON m.code = a.municipality_code
JOIN product p ON p.id = a.product_id
JOIN segment s ON s.id = p.segment_id
LEFT JOIN national_product np ON np.code = p.code
WHERE a.status <> 'ingetrokken'
GROUP BY m.region_id, a.youth_id, COALESCE(s.parent_id, s.id)
WITH NO DATA;
CREATE INDEX allocation_trajectory_region ON allocation_trajectory (region_id);
