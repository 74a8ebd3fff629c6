-- iJW messages: every message received or written, the declaration lines of a JW323 with the references the
-- cross-message rules need, the requests of JW315/JW317, and which allocations left in which JW301.
-- SQL accepted by PostgreSQL 15 and PGlite (PostgreSQL 18).

CREATE TABLE ijw_message (
  id              bigserial PRIMARY KEY,
  message_type    text NOT NULL,                   -- JW301 … JW325
  direction       text NOT NULL CHECK (direction IN ('in','out')), -- in: received by Regiekamer; out: written by it
  identification  text NOT NULL,                   -- BerichtIdentificatie/Identificatie
  dagtekening     date,                            -- BerichtIdentificatie/Dagtekening
  sender_code     text NOT NULL,                   -- Afzender: AGB code or municipality code
  receiver_code   text NOT NULL,                   -- Ontvanger
  municipality_code char(4),                       -- the municipality side; no foreign key: a received message may name an unknown one (TR378)
  provider_id     integer REFERENCES provider(id), -- the provider side, when known
  provider_agb    text,
  declaration_number text,                         -- JW323/JW325: DeclaratieNummer
  period_start    date,                            -- JW323: DeclaratiePeriode/Begindatum (TR318)
  content_hash    text NOT NULL,                   -- SHA-256 of the bytes: the same file twice is stored once
  status          text NOT NULL CHECK (status IN ('verwerkt','afgewezen','verzonden')),
  lines           integer NOT NULL DEFAULT 0,      -- declaration lines (Prestaties) or allocations/requests in the message
  accepted_lines  integer NOT NULL DEFAULT 0,
  rejected_lines  integer NOT NULL DEFAULT 0,
  amount_cents    bigint NOT NULL DEFAULT 0,       -- declared, credits negative
  accepted_amount_cents bigint NOT NULL DEFAULT 0,
  findings        jsonb NOT NULL DEFAULT '[]',     -- findings about the message as a whole
  answer_to_id    bigint REFERENCES ijw_message(id), -- a JW325 → the JW323 it answers
  -- The file itself, gzip-compressed in the database (not a path): it is stored in the same transaction as what
  -- was booked from it, travels with backups and works the same on PGlite and a server; a 100,000-line
  -- declaration of 85 MB is about 5 MB compressed.
  xml_gzip        bytea NOT NULL,
  size_bytes      bigint NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX ijw_message_received_once ON ijw_message (content_hash) WHERE direction = 'in';
CREATE INDEX ijw_message_municipality ON ijw_message (municipality_code, created_at);
CREATE INDEX ijw_message_provider ON ijw_message (provider_id, created_at);
CREATE INDEX ijw_message_answer ON ijw_message (answer_to_id) WHERE answer_to_id IS NOT NULL;

-- One Prestatie of a received JW323, accepted or rejected, with what the rules found. Accepted lines are also
-- booked in declaration_line (source 'jw323'), which carries (ijw_message_id, ijw_line_no) back to here.
CREATE TABLE ijw_declaration_line (
  message_id      bigint NOT NULL REFERENCES ijw_message(id),
  line_no         integer NOT NULL,                -- 1-based position of the Prestatie in the message
  client_no       integer NOT NULL,                -- 1-based position of its Client
  bsn_hash        text NOT NULL,                   -- keyed hash of the BSN (src/core/bsn.ts), never the BSN
  provider_id     integer,                         -- the sender, for the rules "unique per provider"
  reference_number text NOT NULL,                  -- ProductReferentie/ReferentieNummer
  previous_reference_number text,                  -- VorigReferentieNummer (a credit names the debit it reverses)
  declaration_number text NOT NULL,
  assignment_number bigint,                        -- ToewijzingNummer
  product_category text,
  product_code    text,
  period_start    date,
  period_end      date,
  volume          bigint,
  unit            text,
  tariff_cents    bigint,
  amount_cents    bigint,                          -- as declared, unsigned
  debit_credit    char(1),
  status          text NOT NULL DEFAULT 'geaccepteerd' CHECK (status IN ('geaccepteerd','afgewezen')),
  findings        jsonb,                           -- [{code, retourcode, text, location}] of a rejected line
  PRIMARY KEY (message_id, line_no)
);
CREATE INDEX ijw_declaration_line_reference ON ijw_declaration_line (provider_id, reference_number);
CREATE INDEX ijw_declaration_line_previous ON ijw_declaration_line (provider_id, previous_reference_number) WHERE previous_reference_number IS NOT NULL;

-- ToewijzingNummer is compared as a number (000123 = 123) by the cross-message rules and the booking: look-ups by
-- the number without leading zeros, per municipality, instead of a scan of the municipality's allocations per batch.
CREATE INDEX allocation_number ON allocation (municipality_code, (ltrim(assignment_number, '0')));

ALTER TABLE declaration_line ADD COLUMN ijw_message_id bigint, ADD COLUMN ijw_line_no integer;

-- The settlement ledger (P*Q) per municipality × provider × product × month: by definition the sum of the
-- accepted lines, credits negative, so it cannot drift from them.
CREATE VIEW settlement_ledger AS
SELECT d.municipality_code, d.provider_id, d.product_id, date_trunc('month', d.period_start)::date AS month,
       count(*)::int AS lines,
       sum(CASE d.debit_credit WHEN 'C' THEN -d.volume ELSE d.volume END)::int8 AS volume,
       sum(CASE d.debit_credit WHEN 'C' THEN -d.amount_cents ELSE d.amount_cents END)::int8 AS amount_cents
FROM declaration_line d
WHERE d.status = 'geaccepteerd'
GROUP BY 1, 2, 3, 4;

-- Requested products of a JW315 (aanvraag) and the products of a JW317 (verzoek om wijziging).
CREATE TABLE ijw_request (
  message_id      bigint NOT NULL REFERENCES ijw_message(id),
  line_no         integer NOT NULL,
  bsn_hash        text NOT NULL,
  reference       text,                            -- ReferentieAanbieder
  kind            text NOT NULL,                   -- aangevraagd, ongewijzigd, te_wijzigen, nieuw
  assignment_number bigint,
  product_category text,
  product_code    text,
  start_date      date,
  end_date        date,
  detail          jsonb NOT NULL,                  -- the product as received
  PRIMARY KEY (message_id, line_no)
);

-- Which allocations were created or changed by a received JW301, and which left in a written one.
CREATE TABLE ijw_allocation_message (
  allocation_id   bigint NOT NULL REFERENCES allocation(id),
  message_id      bigint NOT NULL REFERENCES ijw_message(id),
  PRIMARY KEY (allocation_id, message_id)
);
CREATE INDEX ijw_allocation_message_message ON ijw_allocation_message (message_id);
