-- Issue 17 §3 (import speed): the import now adds a booked line's sums to the monitoring facts from the rows it books
-- (src/monitoring/facts.ts: copied into a temporary table and summed there), no longer by reading them back from
-- declaration_line by message and line number: the index of migration 031 for that is read by nothing, and every
-- booked line paid for keeping it.
DROP INDEX declaration_line_ijw_line;
