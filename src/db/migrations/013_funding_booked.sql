-- Funding from booked data (issue 15) and the client stop (issue 16 scope 4).
-- A client stop (cliëntenstop) on the enforcement ladder can be lifted: it ends on `ends_on` (exclusive: from that day
-- on, new allocations are let through again). NULL: it has not been lifted.
ALTER TABLE enforcement_step ADD COLUMN ends_on date;
ALTER TABLE enforcement_step ADD CONSTRAINT enforcement_step_ends_after CHECK (ends_on IS NULL OR (step = 'clientenstop' AND ends_on > on_date));
-- The profile of an allocation on a contract with a fixed tariff per profile (e.g. Twente's A/B/C): set when the
-- JW301 is stored, from the contract's terms (the product that stands for the profile); NULL for other contracts.
ALTER TABLE allocation ADD COLUMN profile text;
