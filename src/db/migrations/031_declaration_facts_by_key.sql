-- Issue 14, point 3: an iJW import brought the monitoring facts of the municipality × provider × year groups it booked
-- into up to date with one DELETE and one INSERT … SELECT per group and table, over every line of the group: on the
-- embedded database (PostgreSQL on the JavaScript thread) that one statement held the server for minutes with the
-- largest file. Now the import adds the sums of the lines it booked to the fact rows they fall in (an upsert on the
-- fact's key), ROWS_PER_STATEMENT of its lines per statement (src/monitoring/facts.ts). For that it finds its booked
-- lines by message and line number, and a monthly fact row by its whole key, unique as the yearly one already is (the
-- rows are a GROUP BY of that key).
CREATE INDEX declaration_line_ijw_line ON declaration_line (ijw_message_id, ijw_line_no) WHERE ijw_message_id IS NOT NULL;
CREATE UNIQUE INDEX declaration_month_fact_key ON declaration_month_fact (municipality_code, year, provider_id, product_id, youth_id);
