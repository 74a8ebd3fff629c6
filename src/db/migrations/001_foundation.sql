-- Regiekamer Jeugd: the foundation data model for the seven capabilities of the brief.
-- Money is bigint euro cents; care dates are `date` (calendar days); history is kept by
-- valid_from / valid_to (valid_to exclusive, NULL = open ended). SQL accepted by PostgreSQL 15 and PGlite.

-- app ------------------------------------------------------------------------------------------
CREATE TABLE app_meta (
  key   text PRIMARY KEY,
  value jsonb NOT NULL
);

-- catalog: regions, municipalities, segments, products, tariffs -----------------------------------
CREATE TABLE region (
  id          text PRIMARY KEY,                  -- slug: twente, achterhoek, midden-ijssel-oost-veluwe
  name        text NOT NULL,
  jeugdzorgregio text NOT NULL UNIQUE,           -- the name in gemeenten-2026.csv
  procurement text NOT NULL DEFAULT '',          -- how the region buys (Open House, segments, lumpsum …)
  demo_year   integer                            -- the year the demo data was calibrated on
);

CREATE TABLE municipality (                      -- gemeente
  code        char(4) PRIMARY KEY,               -- CBS gemeentecode
  name        text NOT NULL,
  province    text NOT NULL,
  jeugdzorgregio text NOT NULL,
  region_id   text REFERENCES region(id)         -- set when the region is loaded
);
CREATE INDEX municipality_region ON municipality (region_id);

CREATE TABLE funding_form (                      -- bekostigingsvorm (003 Bijlage G)
  code              text PRIMARY KEY,            -- pq, profiel, traject, beschikbaarheid, lumpsum, nacalculatie
  name              text NOT NULL,
  execution_variant text NOT NULL CHECK (execution_variant IN ('inspanningsgericht','outputgericht','taakgericht'))
);

CREATE TABLE segment (
  id          serial PRIMARY KEY,
  region_id   text NOT NULL REFERENCES region(id),
  code        text NOT NULL,
  name        text NOT NULL,
  parent_id   integer REFERENCES segment(id),    -- sub-segment
  funding_form text REFERENCES funding_form(code),
  procured_by_region boolean NOT NULL DEFAULT true, -- false for LTA, JB/JR, basis infrastructuur
  precedence  integer,                           -- pleegzorg > gezinshuis > specialistisch wonen
  description text NOT NULL DEFAULT '',
  sort_order  integer NOT NULL DEFAULT 0,
  UNIQUE (region_id, code)
);

CREATE TABLE national_product (                  -- the national JZ21 product code list
  code              text PRIMARY KEY,
  description       text NOT NULL,
  category_code     text,
  category_name     text,
  execution_variant text,
  hulpvorm_code     text,
  hulpvorm_name     text
);

CREATE TABLE product (                           -- the region's product book (productenboek)
  id            serial PRIMARY KEY,
  region_id     text NOT NULL REFERENCES region(id),
  segment_id    integer REFERENCES segment(id),
  category_code char(2) NOT NULL,                -- productcategorie (JZ020)
  code          text NOT NULL,                   -- productcode: national or the region's own
  name          text NOT NULL,
  product_group text NOT NULL DEFAULT '',        -- the region's reporting group (e.g. "Behandeling")
  unit          char(2) NOT NULL,                -- WJ756: 01 minuut, 04 uur, 14 etmaal, 16 dagdeel, 82/83/84
  execution_variant text NOT NULL CHECK (execution_variant IN ('inspanningsgericht','outputgericht','taakgericht')),
  valid_from    date NOT NULL,
  valid_to      date,
  CHECK (valid_to IS NULL OR valid_to > valid_from),
  UNIQUE (region_id, code, valid_from)
);
CREATE INDEX product_segment ON product (segment_id);

CREATE TABLE tariff (                            -- effective-dated; a change is a new row, never an update
  id          bigserial PRIMARY KEY,
  product_id  integer NOT NULL REFERENCES product(id),
  valid_from  date NOT NULL,
  valid_to    date,
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0), -- per unit of the product
  tariff_set  text NOT NULL DEFAULT '',          -- the published set it came from
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to > valid_from),
  UNIQUE (product_id, valid_from)
);

CREATE TABLE product_availability (              -- per municipality: regional, local, bovenregionaal, landelijk; closed to newcomers
  product_id        integer NOT NULL REFERENCES product(id),
  municipality_code char(4) NOT NULL REFERENCES municipality(code),
  procured_at       text NOT NULL CHECK (procured_at IN ('regionaal','lokaal','bovenregionaal','landelijk')),
  closed_to_new_providers boolean NOT NULL DEFAULT false,
  PRIMARY KEY (product_id, municipality_code)
);

-- providers, locations, groups, contracts -----------------------------------------------------
CREATE TABLE provider (                          -- zorgaanbieder
  id          serial PRIMARY KEY,
  agb_code    char(8) NOT NULL UNIQUE,
  kvk_number  char(8),
  name        text NOT NULL,
  provider_type text NOT NULL DEFAULT 'overig' CHECK (provider_type IN ('systeemaanbieder','groot','overig')),
  main_contractor_id integer REFERENCES provider(id), -- hoofdaannemer of a subcontractor
  home_municipality_code char(4) REFERENCES municipality(code),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contract (                          -- a provider admitted to a segment of a region
  id          serial PRIMARY KEY,
  region_id   text NOT NULL REFERENCES region(id),
  provider_id integer NOT NULL REFERENCES provider(id),
  segment_id  integer NOT NULL REFERENCES segment(id),
  funding_form text NOT NULL REFERENCES funding_form(code),
  valid_from  date NOT NULL,
  valid_to    date,
  lumpsum_cents bigint,                          -- per year, for lumpsum / availability funding
  bandwidth_pct numeric(5,2),                    -- e.g. 3.00 (Achterhoek)
  status      text NOT NULL DEFAULT 'actief' CHECK (status IN ('aangemeld','actief','opgeschort','beeindigd')),
  UNIQUE (provider_id, segment_id, valid_from)
);
CREATE INDEX contract_region ON contract (region_id);

CREATE TABLE location (
  id          serial PRIMARY KEY,
  provider_id integer NOT NULL REFERENCES provider(id),
  name        text NOT NULL,
  municipality_code char(4) NOT NULL REFERENCES municipality(code)
);
CREATE INDEX location_provider ON location (provider_id);

CREATE TABLE care_group (                        -- a residential group, gezinshuis or foster home
  id          serial PRIMARY KEY,
  location_id integer NOT NULL REFERENCES location(id),
  name        text NOT NULL,
  group_type  text NOT NULL,                     -- pleeggezin, gezinshuis, specialistisch_wonen, behandelgroep, crisis, logeren …
  product_id  integer REFERENCES product(id),
  places_physical   integer NOT NULL CHECK (places_physical >= 0),
  places_contracted integer NOT NULL CHECK (places_contracted >= 0),
  roster_hours_week numeric(8,2),                -- net group-staff hours per week (verblijfsintensiteit)
  age_min     integer,
  age_max     integer,
  gender      text NOT NULL DEFAULT 'gemengd'
);
CREATE INDEX care_group_location ON care_group (location_id);

-- youths and care ---------------------------------------------------------------------------
CREATE TABLE youth (                             -- jeugdige; personal data: read only through scoped, audited routes
  id          bigserial PRIMARY KEY,
  bsn_encrypted bytea NOT NULL,                  -- AES-256-GCM; only the message layer (src/ijw) decrypts
  bsn_hash    text NOT NULL UNIQUE,              -- HMAC-SHA256 for look-ups
  pseudonym   text NOT NULL UNIQUE,              -- shown instead of the BSN
  birth_date  date NOT NULL,
  gender      char(1) NOT NULL CHECK (gender IN ('0','1','2','9')), -- COD046
  municipality_code char(4) NOT NULL REFERENCES municipality(code) -- responsible municipality (woonplaatsbeginsel)
);
CREATE INDEX youth_municipality ON youth (municipality_code);

CREATE TABLE referrer_type (                     -- COD327 code verwijzer
  code char(2) PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE allocation (                        -- toewijzing
  id            bigserial PRIMARY KEY,
  assignment_number text NOT NULL,               -- ToewijzingNummer
  municipality_code char(4) NOT NULL REFERENCES municipality(code),
  provider_id   integer NOT NULL REFERENCES provider(id),
  youth_id      bigint NOT NULL REFERENCES youth(id),
  product_id    integer NOT NULL REFERENCES product(id),
  referrer_type char(2) REFERENCES referrer_type(code),
  start_date    date NOT NULL,
  end_date      date,
  volume        integer,                         -- per frequency; NULL = not specified
  unit          char(2) NOT NULL,
  frequency     char(1),                         -- WMO757
  budget_cents  bigint,
  status        text NOT NULL DEFAULT 'actief' CHECK (status IN ('actief','gewijzigd','ingetrokken','beeindigd')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date IS NULL OR end_date >= start_date),
  UNIQUE (municipality_code, assignment_number)
);
CREATE INDEX allocation_youth ON allocation (youth_id);
CREATE INDEX allocation_provider ON allocation (provider_id);

CREATE TABLE declaration_line (                  -- one accepted or rejected line of a declaration (JW323) or demo ledger
  id            bigserial PRIMARY KEY,
  allocation_id bigint REFERENCES allocation(id),
  municipality_code char(4) NOT NULL REFERENCES municipality(code),
  provider_id   integer NOT NULL REFERENCES provider(id),
  youth_id      bigint REFERENCES youth(id),     -- NULL for lumpsum / availability payments
  product_id    integer NOT NULL REFERENCES product(id),
  period_start  date NOT NULL,                   -- product period, within one calendar month
  period_end    date NOT NULL,
  volume        integer NOT NULL,
  unit          char(2) NOT NULL,
  tariff_cents  bigint NOT NULL,
  amount_cents  bigint NOT NULL,
  debit_credit  char(1) NOT NULL DEFAULT 'D' CHECK (debit_credit IN ('D','C')),
  status        text NOT NULL DEFAULT 'geaccepteerd' CHECK (status IN ('geaccepteerd','afgewezen')),
  source        text NOT NULL DEFAULT 'demo',    -- demo, jw323, lumpsum …
  CHECK (period_end >= period_start)
);
CREATE INDEX declaration_line_municipality_period ON declaration_line (municipality_code, period_start);
CREATE INDEX declaration_line_provider ON declaration_line (provider_id, period_start);
CREATE INDEX declaration_line_youth ON declaration_line (youth_id);
CREATE INDEX declaration_line_allocation ON declaration_line (allocation_id);

CREATE TABLE budget (                            -- per municipality × segment × year
  municipality_code char(4) NOT NULL REFERENCES municipality(code),
  segment_id    integer NOT NULL REFERENCES segment(id),
  year          integer NOT NULL,
  amount_cents  bigint NOT NULL,
  PRIMARY KEY (municipality_code, segment_id, year)
);

-- access -----------------------------------------------------------------------------------
CREATE TABLE account (
  id            serial PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  display_name  text NOT NULL,
  password_hash text NOT NULL,                   -- argon2id
  role          text NOT NULL CHECK (role IN ('regio','gemeente','aanbieder','coordinator')),
  region_id     text REFERENCES region(id),      -- NULL for regio/coordinator = every loaded region
  municipality_code char(4) REFERENCES municipality(code),
  provider_id   integer REFERENCES provider(id),
  is_demo       boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'gemeente') = (municipality_code IS NOT NULL)),
  CHECK ((role = 'aanbieder') = (provider_id IS NOT NULL))
);

CREATE TABLE session (
  token_hash  text PRIMARY KEY,                  -- sha256 of the cookie value; the token itself is never stored
  account_id  integer NOT NULL REFERENCES account(id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);

CREATE TABLE audit_log (                         -- who read or changed personal data, and when
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  account_id  integer REFERENCES account(id),
  role        text NOT NULL,
  action      text NOT NULL,                     -- read, login, login_failed, create …
  route       text NOT NULL,
  subject     text NOT NULL,                     -- youth, allocation, declaration_line, account
  subject_ids bigint[] NOT NULL DEFAULT '{}',
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip          text
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_account ON audit_log (account_id, at);

-- reference data ---------------------------------------------------------------------------
INSERT INTO funding_form (code, name, execution_variant) VALUES
  ('pq',              'P*Q: prijs × geleverd volume',            'inspanningsgericht'),
  ('profiel',         'Vast tarief per profiel',                 'outputgericht'),
  ('traject',         'Vaste prijs per traject',                 'outputgericht'),
  ('beschikbaarheid', 'Beschikbaarheidsfinanciering (lumpsum)',  'taakgericht'),
  ('lumpsum',         'Budget / lumpsum per aanbieder',          'taakgericht'),
  ('nacalculatie',    'Voorschot met reële nacalculatie',        'inspanningsgericht');

INSERT INTO referrer_type (code, name) VALUES
  ('01', 'Gemeente'), ('02', 'Huisarts'), ('03', 'Jeugdarts'), ('04', 'Gecertificeerde instelling'),
  ('05', 'Medisch specialist'), ('06', 'Zelfverwijzer / geen verwijzer'),
  ('08', 'Rechter, Officier van Justitie, functionaris JJI');
