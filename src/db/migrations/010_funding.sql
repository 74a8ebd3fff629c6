-- Funding and settlement (issue 15): a contract carries its funding form, execution variant and the terms that form
-- needs; what was paid, what the provider reported per quarter, its cost statement, and the year-end statements.
-- The table `contract` (001) already holds funding_form, lumpsum_cents and bandwidth_pct: it is extended, not copied.
-- The form-specific terms (instalments, reserved capacity, profile tariffs, trajectory price and billing moments,
-- advances and ceiling) live in `terms` (jsonb), validated by src/funding/terms.ts before anything is stored.

ALTER TABLE contract ADD COLUMN execution_variant text
  CHECK (execution_variant IN ('inspanningsgericht','outputgericht','taakgericht'));
ALTER TABLE contract ADD COLUMN outside_band text NOT NULL DEFAULT 'gesprek'
  CHECK (outside_band IN ('niets','gesprek','verrekenen','plafond'));   -- what happens outside the bandwidth: a term
ALTER TABLE contract ADD COLUMN terms jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE contract ADD COLUMN change_reason text NOT NULL DEFAULT ''; -- why this year's amount changed (woonplaatsbeginsel …)
ALTER TABLE contract ADD COLUMN cost_key text NOT NULL DEFAULT 'gebruik'; -- how a regional cost is shared (funding_cost_key.code or a method)
ALTER TABLE contract ADD CONSTRAINT contract_lumpsum_nonnegative CHECK (lumpsum_cents IS NULL OR lumpsum_cents >= 0);
ALTER TABLE contract ADD CONSTRAINT contract_bandwidth_range CHECK (bandwidth_pct IS NULL OR (bandwidth_pct >= 0 AND bandwidth_pct <= 100));
UPDATE contract c SET execution_variant = f.execution_variant FROM funding_form f WHERE f.code = c.funding_form;
CREATE INDEX contract_provider ON contract (provider_id);

CREATE TABLE funding_payment (                   -- an instalment or advance actually paid (termijn, voorschot)
  id           bigserial PRIMARY KEY,
  contract_id  integer NOT NULL REFERENCES contract(id),
  region_id    text NOT NULL REFERENCES region(id),
  provider_id  integer NOT NULL REFERENCES provider(id),
  paid_on      date NOT NULL,
  amount_cents bigint NOT NULL,                  -- negative for a reclaim
  kind         text NOT NULL CHECK (kind IN ('termijn','voorschot','afrekening')),
  description  text NOT NULL DEFAULT ''
);
CREATE INDEX funding_payment_contract ON funding_payment (contract_id, paid_on);
CREATE INDEX funding_payment_provider ON funding_payment (region_id, provider_id);

CREATE TABLE funding_figure (                    -- the provider's quarterly figures (kwartaalcijfers) for one contract
  contract_id     integer NOT NULL REFERENCES contract(id),
  region_id       text NOT NULL REFERENCES region(id),
  provider_id     integer NOT NULL REFERENCES provider(id),
  year            integer NOT NULL,
  quarter         integer NOT NULL CHECK (quarter BETWEEN 1 AND 4),
  clients_in_care integer NOT NULL CHECK (clients_in_care >= 0),
  started         integer NOT NULL CHECK (started >= 0),
  stopped         integer NOT NULL CHECK (stopped >= 0),
  hours           integer NOT NULL DEFAULT 0 CHECK (hours >= 0),        -- hours or days of care, as the contract asks
  realised_cents  bigint NOT NULL CHECK (realised_cents >= 0),          -- production of the quarter, valued as agreed
  source          text NOT NULL DEFAULT 'invoer' CHECK (source IN ('invoer','csv','demo')),
  entered_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (contract_id, year, quarter)
);
CREATE INDEX funding_figure_provider ON funding_figure (region_id, provider_id, year);

CREATE TABLE funding_cost_line (                 -- the cost statement of a contract on real costs (reële nacalculatie)
  id           bigserial PRIMARY KEY,
  contract_id  integer NOT NULL REFERENCES contract(id),
  region_id    text NOT NULL REFERENCES region(id),
  provider_id  integer NOT NULL REFERENCES provider(id),
  year         integer NOT NULL,
  category     text NOT NULL,                    -- personeel, huisvesting, materieel, overhead …
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
  eligible     boolean NOT NULL DEFAULT true,
  entered_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX funding_cost_line_contract ON funding_cost_line (contract_id, year);

CREATE TABLE funding_cost_key (                  -- a key to share regional costs among municipalities
  region_id  text NOT NULL REFERENCES region(id),
  code       text NOT NULL,
  name       text NOT NULL,
  method     text NOT NULL CHECK (method IN ('jeugdigen','gebruik','vast','solidair')),
  weights    jsonb NOT NULL DEFAULT '{}'::jsonb, -- municipality code → weight (vast: percentage, jeugdigen/solidair: inhabitants)
  PRIMARY KEY (region_id, code)
);

CREATE TABLE funding_statement (                 -- a year-end settlement statement; frozen once closed
  id           bigserial PRIMARY KEY,
  region_id    text NOT NULL REFERENCES region(id),
  provider_id  integer NOT NULL REFERENCES provider(id),
  year         integer NOT NULL,
  closed_at    timestamptz NOT NULL DEFAULT now(),
  closed_by    integer REFERENCES account(id),
  supersedes_id bigint REFERENCES funding_statement(id), -- a correction is a new, dated statement
  settlement_cents bigint NOT NULL,
  body         jsonb NOT NULL                    -- the statement as computed when closed (contracts, steps, shares)
);
CREATE INDEX funding_statement_provider ON funding_statement (region_id, provider_id, year);
