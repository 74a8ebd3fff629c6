-- Documents, minutes and agreements of a provider's dossier (issue 16, owned by src/providers). PostgreSQL 15 and PGlite.
--
-- Documents (evidence a provider uploads, letters of the enforcement ladder) are stored as bytea in the database,
-- not under the data directory: the embedded database's backup (src/db/backup.ts, PGlite's dump of its data
-- directory) and pg_dump then carry them with no extra step, a document and the row that points to it are written in
-- one transaction, and the scope filter of a download is the same row's region and provider. The size is capped by
-- the region's setting (default 10 MB, at most 50 MB) so a row stays small enough for TOAST.
CREATE TABLE provider_document (
  id          bigserial PRIMARY KEY,
  region_id   text NOT NULL REFERENCES region(id),
  provider_id integer NOT NULL REFERENCES provider(id),
  kind        text NOT NULL CHECK (kind IN ('bewijs','brief')),   -- admission evidence, enforcement letter
  file_name   text NOT NULL CHECK (file_name <> '' AND file_name !~ '[/\\]'),
  media_type  text NOT NULL CHECK (media_type IN ('application/pdf','image/png','image/jpeg',
                'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
                'application/vnd.oasis.opendocument.text','application/vnd.oasis.opendocument.spreadsheet')),
  bytes       integer NOT NULL CHECK (bytes > 0),
  sha256      char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  content     bytea NOT NULL,
  uploaded_by_id integer REFERENCES account(id),
  uploaded_by text NOT NULL,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (octet_length(content) = bytes)
);
CREATE INDEX provider_document_provider ON provider_document (region_id, provider_id, uploaded_at);

-- evidence of an admission requirement and the letter of a ladder step point to their document
ALTER TABLE admission_evidence ADD COLUMN document_id bigint REFERENCES provider_document(id);
ALTER TABLE enforcement_step ADD COLUMN document_id bigint REFERENCES provider_document(id);
-- the region's size limit for one document
ALTER TABLE admission_setting ADD COLUMN document_max_mb integer NOT NULL DEFAULT 10 CHECK (document_max_mb BETWEEN 1 AND 50);

-- the quarterly conversation (kwartaalgesprek): minutes with date and participants, one per provider and quarter
CREATE TABLE provider_conversation (
  id          serial PRIMARY KEY,
  region_id   text NOT NULL REFERENCES region(id),
  provider_id integer NOT NULL REFERENCES provider(id),
  year        integer NOT NULL CHECK (year BETWEEN 2015 AND 2100),
  quarter     integer NOT NULL CHECK (quarter BETWEEN 1 AND 4),
  held_on     date NOT NULL,
  participants text[] NOT NULL DEFAULT '{}',
  minutes     text NOT NULL,
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (region_id, provider_id, year, quarter)
);

-- an agreement made in a conversation: who owns it, by when, open or done
CREATE TABLE provider_agreement (
  id          serial PRIMARY KEY,
  conversation_id integer NOT NULL REFERENCES provider_conversation(id),
  region_id   text NOT NULL REFERENCES region(id),
  provider_id integer NOT NULL REFERENCES provider(id),
  description text NOT NULL CHECK (description <> ''),
  owner       text NOT NULL CHECK (owner <> ''),
  due_on      date NOT NULL,
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
  done_on     date,
  done_by     text,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'done') = (done_on IS NOT NULL))
);
CREATE INDEX provider_agreement_provider ON provider_agreement (region_id, provider_id, status, due_on);
