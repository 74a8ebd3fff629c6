-- The tariff calculator (rekentool, issue 4), owned by src/tariffs: norm sets (versioned data), band tables
-- of verblijfsintensiteit (versioned, effective-dated), gezinshuis tariffs per home, indices, and tariff sets
-- that become the catalogue's effective-dated tariffs when published (table tariff of 001). Nothing here is
-- overwritten: a change is a new version or a new row. SQL accepted by PostgreSQL 15 and PGlite.

CREATE TABLE tariff_norm_set (                   -- normenset: the norms tariffs are built from
  id          serial PRIMARY KEY,
  region_id   text NOT NULL REFERENCES region(id),
  name        text NOT NULL,
  version     integer NOT NULL CHECK (version >= 1), -- 1, 2, … per (region, name); an edit is a new version
  valid_from  date NOT NULL,                     -- the price level the amounts belong to
  is_example  boolean NOT NULL DEFAULT false,    -- a labelled example (demo), not norms a region adopted
  body        jsonb NOT NULL,                    -- NormSetBody (src/tariffs/model.ts)
  note        text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  integer REFERENCES account(id),
  UNIQUE (region_id, name, version)
);

CREATE TABLE tariff_band_table (                 -- klassen van verblijfsintensiteit
  id          serial PRIMARY KEY,
  region_id   text NOT NULL REFERENCES region(id),
  name        text NOT NULL,
  version     integer NOT NULL CHECK (version >= 1),
  valid_from  date NOT NULL,                     -- in force from; the next adopted table's valid_from ends it
  status      text NOT NULL CHECK (status IN ('concept','vastgesteld')),
  norm_set_id integer NOT NULL REFERENCES tariff_norm_set(id),
  body        jsonb NOT NULL,                    -- BandTableBody: bands with lower limits, product codes and norms
  note        text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  integer REFERENCES account(id),
  UNIQUE (region_id, name, version)
);
CREATE INDEX tariff_band_table_region ON tariff_band_table (region_id, valid_from);

CREATE TABLE tariff_index (                      -- indexatie: a weighted index per year, provisional or definitive
  id          serial PRIMARY KEY,
  region_id   text NOT NULL REFERENCES region(id),
  year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  kind        text NOT NULL CHECK (kind IN ('voorlopig','definitief')),
  components  jsonb NOT NULL,                    -- [{name: 'OVA', weight: '0.9', pct: '3.60'}, …]
  weighted_pct numeric(9,4) NOT NULL,            -- Σ weight × pct, kept as computed when entered
  source      text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  integer REFERENCES account(id),
  UNIQUE (region_id, year, kind)
);

CREATE TABLE tariff_set (                        -- tariefset: a proposal, then adopted, then published
  id          serial PRIMARY KEY,
  region_id   text NOT NULL REFERENCES region(id),
  name        text NOT NULL,
  valid_from  date NOT NULL,                     -- the tariffs take effect on this date when published
  status      text NOT NULL DEFAULT 'concept' CHECK (status IN ('concept','vastgesteld','gepubliceerd')),
  origin      text NOT NULL CHECK (origin IN ('kostprijs','indexatie')),
  norm_set_id integer REFERENCES tariff_norm_set(id),
  band_table_id integer REFERENCES tariff_band_table(id),
  base_set_id integer REFERENCES tariff_set(id), -- indexatie: the set indexed (NULL: the product book)
  index_factor numeric(14,10),                   -- indexatie: the factor applied
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  integer REFERENCES account(id),
  approved_at timestamptz,
  approved_by integer REFERENCES account(id),
  published_at timestamptz,
  published_by integer REFERENCES account(id),
  CHECK (status = 'concept' OR approved_at IS NOT NULL),
  CHECK (status <> 'gepubliceerd' OR published_at IS NOT NULL)
);
CREATE INDEX tariff_set_region ON tariff_set (region_id, valid_from);

CREATE TABLE tariff_set_line (
  set_id      integer NOT NULL REFERENCES tariff_set(id),
  product_id  integer NOT NULL REFERENCES product(id),
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0), -- per unit of the product
  basis       text NOT NULL,                     -- where the amount comes from, in words
  build_up    jsonb,                             -- the cost-price build-up (BuildUp) as computed
  PRIMARY KEY (set_id, product_id)
);

CREATE TABLE tariff_home (                       -- gezinshuis tariff per home, effective-dated
  id          serial PRIMARY KEY,
  care_group_id integer NOT NULL REFERENCES care_group(id),
  valid_from  date NOT NULL,
  norm_set_id integer NOT NULL REFERENCES tariff_norm_set(id),
  input       jsonb NOT NULL,                    -- GezinshuisInput: the national building blocks for this home
  build_up    jsonb NOT NULL,
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0), -- per child per etmaal
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  integer REFERENCES account(id),
  UNIQUE (care_group_id, valid_from)
);
