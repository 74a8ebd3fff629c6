-- What the cross-message rules of iJW 3.2 (issue 17, part 2) need from earlier messages, kept when a message is
-- imported and accepted (status 'verwerkt'); a rejected message leaves no trace here.
-- SQL accepted by PostgreSQL 15 and PGlite (PostgreSQL 18).

-- JW301: the RedenWijziging of the last JW301 for the allocation (TR384: no declaration on a removed one, '13'),
-- whether it left the ProductCode open (then `product_id` is one product of the category: TR340/TR411/TR412
-- must not read its code as allocated), and the ReferentieAanbieder each JW301 carried (TR359, TR374, TR379).
ALTER TABLE allocation ADD COLUMN change_reason char(2), ADD COLUMN category_only boolean NOT NULL DEFAULT false;
-- (An allocation withdrawn before this migration has status 'ingetrokken', which the import set for RedenWijziging 13
-- only, and which the history reads as removed too.)
ALTER TABLE ijw_allocation_message ADD COLUMN reference text;
CREATE INDEX ijw_allocation_message_reference ON ijw_allocation_message (reference) WHERE reference IS NOT NULL;

-- The XsdVersie of every message (TR371: a JW325's XsdVersieDeclaratie is the XsdVersie of the JW323 it answers).
ALTER TABLE ijw_message ADD COLUMN xsd_version text;    -- 'BasisschemaXsdVersie/BerichtXsdVersie', e.g. '1.0.0/1.0.0'
CREATE INDEX ijw_message_identification ON ijw_message (sender_code, message_type, identification);

-- Every StartProduct (JW305) and StopProduct (JW307) of an accepted message, in order (message, line): the start/stop
-- rules (TR063, TR071, TR074, TR326, TR382, TR413–TR415) replay them per client and allocation.
CREATE TABLE ijw_start_stop (
  message_id      bigint NOT NULL REFERENCES ijw_message(id),
  line_no         integer NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('start','stop')),
  bsn_hash        text NOT NULL,                   -- keyed hash of the Client's BSN
  assignment_number bigint,                        -- ToewijzingNummer
  product_category text,
  product_code    text,
  allocation_start date,                           -- ToewijzingIngangsdatum
  begin_date      date NOT NULL,                   -- Begindatum
  end_date        date,                            -- JW307: Einddatum
  reason          text,                            -- JW307: RedenBeeindiging (JZ588)
  delivery_status text NOT NULL,                   -- StatusAanlevering: 1 eerste aanlevering, 3 verwijderen
  PRIMARY KEY (message_id, line_no)
);
CREATE INDEX ijw_start_stop_client ON ijw_start_stop (bsn_hash, assignment_number);

-- Every JW319 (antwoordbericht) accepted: the request it answers by ReferentieAanbieder (TR360, TR365, TR374).
CREATE TABLE ijw_answer (
  message_id      bigint PRIMARY KEY REFERENCES ijw_message(id),
  reference       text NOT NULL,                   -- ReferentieAanbieder
  answer          text NOT NULL,                   -- VerzoekAntwoord (WJ760): 1 afgewezen, 2 in onderzoek
  reason          text                             -- RedenAfwijzingVerzoek
);
CREATE INDEX ijw_answer_reference ON ijw_answer (reference);
CREATE INDEX ijw_request_reference ON ijw_request (reference);
CREATE INDEX ijw_request_client ON ijw_request (bsn_hash);
