-- Providers, locations, groups and contracts as a register a region keeps (issue 16, owned by src/providers).
-- Extends the tables of 001_foundation.sql rather than duplicating them. Effective-dated: a provider is in a
-- region's register from valid_from until valid_to (exclusive; NULL = open); ending keeps every row and its
-- history. Every change is written to provider_event (who, when, what changed). PostgreSQL 15 and PGlite.

-- provider: trade names, KvK checked, AGB optional (a provider named in outside data may have none yet) ---------
ALTER TABLE provider ALTER COLUMN agb_code DROP NOT NULL;
ALTER TABLE provider ADD CONSTRAINT provider_agb_digits CHECK (agb_code IS NULL OR agb_code ~ '^[0-9]{8}$');
ALTER TABLE provider ADD CONSTRAINT provider_kvk_digits CHECK (kvk_number IS NULL OR kvk_number ~ '^[0-9]{8}$');
ALTER TABLE provider ADD COLUMN trade_names text[] NOT NULL DEFAULT '{}';    -- handelsnamen
ALTER TABLE provider ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE UNIQUE INDEX provider_kvk_unique ON provider (kvk_number) WHERE kvk_number IS NOT NULL;
CREATE INDEX provider_main_contractor ON provider (main_contractor_id);

-- a provider in a region's register, dated. A provider with a contract in the region but no row here counts as
-- registered since its first contract (the demo and older databases).
CREATE TABLE provider_registration (
  provider_id integer NOT NULL REFERENCES provider(id),
  region_id   text NOT NULL REFERENCES region(id),
  valid_from  date NOT NULL,
  valid_to    date,                                -- beëindigd per (exclusive)
  end_reason  text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider_id, region_id),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX provider_registration_region ON provider_registration (region_id);

-- location: address with a Dutch postcode, dated --------------------------------------------------------
ALTER TABLE location ADD COLUMN street text NOT NULL DEFAULT '';
ALTER TABLE location ADD COLUMN house_number text NOT NULL DEFAULT '';
ALTER TABLE location ADD COLUMN postcode char(6);                         -- '7511AB', stored without space
ALTER TABLE location ADD COLUMN city text NOT NULL DEFAULT '';            -- woonplaats
ALTER TABLE location ADD COLUMN valid_from date;
ALTER TABLE location ADD COLUMN valid_to date;
ALTER TABLE location ADD CONSTRAINT location_postcode_nl CHECK (postcode IS NULL OR postcode ~ '^[1-9][0-9]{3}[A-Z]{2}$');
ALTER TABLE location ADD CONSTRAINT location_dates CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from);

-- what changed, by whom, when (the register's history) ---------------------------------------------------
CREATE TABLE provider_event (
  id          bigserial PRIMARY KEY,
  provider_id integer NOT NULL REFERENCES provider(id),
  region_id   text NOT NULL REFERENCES region(id),
  at          timestamptz NOT NULL DEFAULT now(),
  account_id  integer REFERENCES account(id),
  account_name text NOT NULL DEFAULT '',
  action      text NOT NULL,                       -- aangemaakt, gewijzigd, beeindigd, locatie, groep, import
  changes     jsonb NOT NULL DEFAULT '{}'::jsonb   -- field → [old, new]
);
CREATE INDEX provider_event_provider ON provider_event (provider_id, at);

-- waiting times as providers publish them: a treatment wait alone, decimals as published, month-only dates,
-- source and remarks; rows whose provider is not (yet) known wait in provider_waiting_pending until it is.
ALTER TABLE provider_waiting_time ALTER COLUMN weeks_to_intake DROP NOT NULL;
ALTER TABLE provider_waiting_time ALTER COLUMN weeks_to_intake TYPE numeric(7,3);
ALTER TABLE provider_waiting_time ALTER COLUMN weeks_to_treatment TYPE numeric(7,3);
ALTER TABLE provider_waiting_time ADD CONSTRAINT provider_waiting_time_some_wait CHECK (weeks_to_intake IS NOT NULL OR weeks_to_treatment IS NOT NULL);
ALTER TABLE provider_waiting_time ADD COLUMN reported_precision text NOT NULL DEFAULT 'dag' CHECK (reported_precision IN ('dag','maand'));
ALTER TABLE provider_waiting_time ADD COLUMN provider_name text NOT NULL DEFAULT '';  -- as written in the file
ALTER TABLE provider_waiting_time ADD COLUMN source text NOT NULL DEFAULT '';         -- bron (website, lijst …)
ALTER TABLE provider_waiting_time ADD COLUMN remarks text NOT NULL DEFAULT '';        -- opmerkingen
ALTER TABLE provider_waiting_import ADD COLUMN pending integer NOT NULL DEFAULT 0;
ALTER TABLE provider_waiting_import ADD COLUMN refused integer NOT NULL DEFAULT 0;

CREATE TABLE provider_waiting_pending (          -- a row of an import whose provider was unknown or ambiguous
  id          bigserial PRIMARY KEY,
  import_id   bigint NOT NULL REFERENCES provider_waiting_import(id),
  region_id   text NOT NULL REFERENCES region(id),
  line        integer NOT NULL,
  provider_name text NOT NULL,
  name_key    text NOT NULL,                       -- the normalised name (src/providers/match.ts)
  row         jsonb NOT NULL                       -- the row as read, stored when its provider is known
);
CREATE INDEX provider_waiting_pending_key ON provider_waiting_pending (region_id, name_key);

-- admission (toelating) in Open House (seed 004): entry windows per product group (segment) × municipality, a
-- product group closed per municipality when supply suffices, applications with a checklist of evidence, and
-- review states with who decided when. Admission creates the contract.
CREATE TABLE admission_window (                  -- toetredingsmoment: the product group is open for entry
  id          serial PRIMARY KEY,
  region_id   text NOT NULL REFERENCES region(id),
  segment_id  integer NOT NULL REFERENCES segment(id),
  municipality_code char(4) REFERENCES municipality(code), -- NULL = every municipality of the region
  opens_on    date NOT NULL,
  closes_on   date NOT NULL,                     -- inclusive
  note        text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (closes_on >= opens_on)
);
CREATE INDEX admission_window_region ON admission_window (region_id, segment_id);

CREATE TABLE admission_closure (                 -- the product group is closed to newcomers in this municipality
  region_id   text NOT NULL REFERENCES region(id),
  segment_id  integer NOT NULL REFERENCES segment(id),
  municipality_code char(4) NOT NULL REFERENCES municipality(code),
  closed_on   date NOT NULL,
  reason      text NOT NULL,
  PRIMARY KEY (segment_id, municipality_code)
);

CREATE TABLE admission_application (             -- aanvraag tot toelating
  id          serial PRIMARY KEY,
  region_id   text NOT NULL REFERENCES region(id),
  provider_id integer NOT NULL REFERENCES provider(id),
  segment_id  integer NOT NULL REFERENCES segment(id),
  municipality_code char(4) NOT NULL REFERENCES municipality(code),
  window_id   integer NOT NULL REFERENCES admission_window(id),
  status      text NOT NULL DEFAULT 'ingediend' CHECK (status IN ('ingediend','in_behandeling','aanvullen','toegelaten','afgewezen')),
  submitted_on date NOT NULL,
  decided_on  date,
  decided_by  text,
  reason      text NOT NULL DEFAULT '',          -- what to add (aanvullen) or why refused (afgewezen)
  contract_id integer REFERENCES contract(id),
  CHECK ((status IN ('toegelaten','afgewezen')) = (decided_on IS NOT NULL))
);
CREATE UNIQUE INDEX admission_application_open ON admission_application (provider_id, segment_id, municipality_code)
  WHERE status IN ('ingediend','in_behandeling','aanvullen');
CREATE INDEX admission_application_region ON admission_application (region_id, status);

CREATE TABLE admission_evidence (                -- one item of the checklist, as the provider shows it
  application_id integer NOT NULL REFERENCES admission_application(id),
  requirement text NOT NULL,                     -- src/providers/admission.ts REQUIREMENTS
  description text NOT NULL,
  valid_until date,                              -- certificates and insurance expire
  added_at    timestamptz NOT NULL DEFAULT now(),
  added_by    text NOT NULL,
  PRIMARY KEY (application_id, requirement)
);

CREATE TABLE admission_event (                   -- every state change: who, when, why
  id          bigserial PRIMARY KEY,
  application_id integer NOT NULL REFERENCES admission_application(id),
  at          timestamptz NOT NULL DEFAULT now(),
  account_id  integer REFERENCES account(id),
  account_name text NOT NULL,
  from_status text,
  to_status   text NOT NULL,
  note        text NOT NULL DEFAULT ''
);
CREATE INDEX admission_event_application ON admission_event (application_id, id);

-- the enforcement ladder (seed 003 §2.2, 'handhaving': waarschuwingsbrief, ingebrekestelling, cliëntenstop,
-- ontbinding, contractovername) as ordered, dated steps per provider in a region.
CREATE TABLE enforcement_step (
  id          serial PRIMARY KEY,
  region_id   text NOT NULL REFERENCES region(id),
  provider_id integer NOT NULL REFERENCES provider(id),
  step        text NOT NULL CHECK (step IN ('waarschuwing','ingebrekestelling','clientenstop','ontbinding','overname')),
  rung        integer NOT NULL CHECK (rung BETWEEN 1 AND 5),    -- the step's place on the ladder
  on_date     date NOT NULL,
  reason      text NOT NULL,
  remedy_days integer,                             -- ingebrekestelling: days given to comply
  segment_id  integer REFERENCES segment(id),      -- cliëntenstop: the segment it applies to (NULL = all)
  decided_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enforcement_step_provider ON enforcement_step (region_id, provider_id, rung);

-- the exit rule (seed 004): a provider with no or fewer than X clients in a year is flagged; X is the region's setting
CREATE TABLE admission_setting (
  region_id        text PRIMARY KEY REFERENCES region(id),
  exit_min_clients integer NOT NULL DEFAULT 1 CHECK (exit_min_clients BETWEEN 0 AND 10000),
  updated_by       text NOT NULL DEFAULT '',
  updated_at       timestamptz NOT NULL DEFAULT now()
);
