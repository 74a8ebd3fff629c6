-- The coordination point (coördinatiepunt, issue 5): the register of groups extended with profile and
-- availability, one registration (aanmelding) per youth with dated transitions, reservations that expire,
-- and waiting times published by providers. Owned by src/placement. PostgreSQL 15 and PGlite.

-- register: profile and availability of a group ------------------------------------------------
-- Place states are counts per group: physical (places_physical, 001) ⊇ staffed (bemenst) ⊇ occupied + reserved
-- + free. Reserved is not stored: it is the number of active reservations (placement_reservation), so an
-- expired reservation frees its place without anyone having to run anything.
ALTER TABLE care_group ADD COLUMN target_groups text[] NOT NULL DEFAULT '{}';   -- doelgroepen: broers_zussen, tienermoeders …
ALTER TABLE care_group ADD COLUMN expertise text[] NOT NULL DEFAULT '{}';       -- hechting, trauma, lvb …
ALTER TABLE care_group ADD COLUMN places_staffed integer NOT NULL DEFAULT 0;    -- bemenst: staff for these places is there
ALTER TABLE care_group ADD COLUMN places_occupied integer NOT NULL DEFAULT 0;   -- bezet
ALTER TABLE care_group ADD COLUMN intake_open boolean NOT NULL DEFAULT true;    -- false = opnamestop, whatever is free
ALTER TABLE care_group ADD COLUMN availability_note text NOT NULL DEFAULT '';
ALTER TABLE care_group ADD COLUMN availability_version integer NOT NULL DEFAULT 0; -- optimistic lock: every change adds 1
ALTER TABLE care_group ADD COLUMN availability_updated_at timestamptz;           -- NULL = never reported (stale)
ALTER TABLE care_group ADD COLUMN availability_updated_by integer REFERENCES account(id);
ALTER TABLE care_group ADD COLUMN availability_updated_by_name text;             -- who, as shown then (accounts may go)
ALTER TABLE care_group ADD CONSTRAINT care_group_places_ok
  CHECK (places_occupied >= 0 AND places_occupied <= places_staffed AND places_staffed <= places_physical);

CREATE INDEX location_municipality ON location (municipality_code);

-- The two rules every screen and query shares, written once (src/placement/rules.ts mirrors them, and a
-- test checks both agree): free = staffed − occupied − reserved; the traffic light open / limited / closed.
CREATE FUNCTION placement_free(staffed integer, occupied integer, reserved integer) RETURNS integer
  LANGUAGE sql IMMUTABLE AS $$ SELECT GREATEST(0, staffed - occupied - reserved) $$;
CREATE FUNCTION placement_light(staffed integer, occupied integer, reserved integer, intake_open boolean) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
      WHEN NOT intake_open OR GREATEST(0, staffed - occupied - reserved) = 0 THEN 'closed'
      WHEN GREATEST(0, staffed - occupied - reserved) = 1 OR GREATEST(0, staffed - occupied - reserved) * 4 < staffed THEN 'limited'
      ELSE 'open' END $$;

CREATE TABLE placement_setting (                 -- per region; defaults apply when there is no row
  region_id          text PRIMARY KEY REFERENCES region(id),
  stale_after_hours  integer NOT NULL DEFAULT 48 CHECK (stale_after_hours BETWEEN 1 AND 2160),
  reservation_hours  integer NOT NULL DEFAULT 48 CHECK (reservation_hours BETWEEN 1 AND 720),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  updated_by         integer REFERENCES account(id)
);

CREATE TABLE availability_update (               -- every availability report, as it was made (history)
  id           bigserial PRIMARY KEY,
  group_id     integer NOT NULL REFERENCES care_group(id),
  version      integer NOT NULL,                 -- the version this report created
  places_staffed  integer NOT NULL,
  places_occupied integer NOT NULL,
  intake_open  boolean NOT NULL,
  note         text NOT NULL DEFAULT '',
  account_id   integer REFERENCES account(id),
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX availability_update_group ON availability_update (group_id, at);

-- registration (aanmelding): one form per youth, one active request per youth ---------------------
CREATE TABLE placement_request (
  id                bigserial PRIMARY KEY,
  region_id         text NOT NULL REFERENCES region(id),
  youth_id          bigint NOT NULL REFERENCES youth(id),
  municipality_code char(4) NOT NULL REFERENCES municipality(code), -- responsible (home) municipality
  care_types        text[] NOT NULL CHECK (cardinality(care_types) BETWEEN 1 AND 8), -- acceptable forms, first = asked for
  target_groups     text[] NOT NULL DEFAULT '{}',
  expertise         text[] NOT NULL DEFAULT '{}',
  urgency           text NOT NULL CHECK (urgency IN ('spoed','hoog','normaal')),
  places_needed     integer NOT NULL DEFAULT 1 CHECK (places_needed BETWEEN 1 AND 6), -- > 1: siblings placed together
  max_distance_km   integer CHECK (max_distance_km BETWEEN 1 AND 400),
  keep_school       boolean NOT NULL DEFAULT false,
  note              text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  status            text NOT NULL DEFAULT 'aangemeld'
                    CHECK (status IN ('aangemeld','in_behandeling','aangeboden','geplaatst','beeindigd','ingetrokken')),
  registered_on     date NOT NULL,               -- waiting starts here
  placed_on         date,                        -- waiting ends here; the stay starts
  placed_group_id   integer REFERENCES care_group(id),
  ended_on          date,                        -- the stay ends (uitstroom)
  withdrawn_on      date,
  created_by        integer REFERENCES account(id),
  created_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (placed_on IS NULL OR placed_on >= registered_on),
  CHECK (ended_on IS NULL OR (placed_on IS NOT NULL AND ended_on >= placed_on)),
  CHECK ((status IN ('geplaatst','beeindigd')) = (placed_on IS NOT NULL AND placed_group_id IS NOT NULL)),
  CHECK ((status = 'beeindigd') = (ended_on IS NOT NULL)),
  CHECK ((status = 'ingetrokken') = (withdrawn_on IS NOT NULL))
);
-- At most one active (waiting) request per youth: a second registration is refused by the database itself.
CREATE UNIQUE INDEX placement_request_one_active ON placement_request (youth_id)
  WHERE status IN ('aangemeld','in_behandeling','aangeboden');
CREATE INDEX placement_request_region ON placement_request (region_id, status);
CREATE INDEX placement_request_group ON placement_request (placed_group_id);

CREATE TABLE placement_request_event (            -- every transition, dated, so waiting time is exact
  id          bigserial PRIMARY KEY,
  request_id  bigint NOT NULL REFERENCES placement_request(id),
  on_date     date NOT NULL,                     -- the calendar day it took effect
  at          timestamptz NOT NULL DEFAULT now(), -- when it was recorded
  from_status text,
  to_status   text NOT NULL,
  group_id    integer REFERENCES care_group(id),
  account_id  integer REFERENCES account(id),
  note        text NOT NULL DEFAULT ''
);
CREATE INDEX placement_request_event_request ON placement_request_event (request_id, id);

CREATE TABLE placement_reservation (              -- an offer holds places in a group for a limited time
  id          bigserial PRIMARY KEY,
  request_id  bigint NOT NULL REFERENCES placement_request(id),
  group_id    integer NOT NULL REFERENCES care_group(id),
  places      integer NOT NULL CHECK (places >= 1),
  status      text NOT NULL DEFAULT 'actief' CHECK (status IN ('actief','omgezet','vrijgegeven','verlopen')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  closed_at   timestamptz,
  account_id  integer REFERENCES account(id)
);
CREATE INDEX placement_reservation_active ON placement_reservation (group_id) WHERE status = 'actief';
CREATE INDEX placement_reservation_request ON placement_reservation (request_id);
CREATE UNIQUE INDEX placement_reservation_one_active ON placement_reservation (request_id) WHERE status = 'actief';
-- Places held now, per group: a reservation past its time holds nothing, whether or not it was swept yet.
CREATE VIEW placement_reserved AS
  SELECT group_id, sum(places)::int AS reserved FROM placement_reservation
  WHERE status = 'actief' AND expires_at > now() GROUP BY group_id;

-- waiting times published by providers (imported from CSV, all or nothing) -------------------------
CREATE TABLE provider_waiting_import (
  id          bigserial PRIMARY KEY,
  region_id   text NOT NULL REFERENCES region(id),
  file_name   text NOT NULL DEFAULT '',
  rows        integer NOT NULL,
  account_id  integer REFERENCES account(id),
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE provider_waiting_time (
  id          bigserial PRIMARY KEY,
  import_id   bigint NOT NULL REFERENCES provider_waiting_import(id),
  region_id   text NOT NULL REFERENCES region(id),
  provider_id integer NOT NULL REFERENCES provider(id),
  offer       text NOT NULL,                     -- aanbod
  care_type   text NOT NULL,                     -- type (pleeggezin, behandelgroep, ambulant …), as published
  location    text NOT NULL DEFAULT '',
  target_group text NOT NULL DEFAULT '',
  expertise   text NOT NULL DEFAULT '',
  funding     text NOT NULL DEFAULT '',          -- financiering (Jeugdwet, Wlz …)
  weeks_to_intake    numeric(5,1) NOT NULL CHECK (weeks_to_intake >= 0),
  weeks_to_treatment numeric(5,1) CHECK (weeks_to_treatment >= 0),
  reported_on date NOT NULL
);
CREATE INDEX provider_waiting_time_region ON provider_waiting_time (region_id, provider_id, reported_on);
