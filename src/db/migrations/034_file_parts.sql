-- Stored files in parts of at most 256 kB (issue 14, point 2: no statement carries megabytes). PostgreSQL 15 and PGlite.
--
-- On the embedded database every statement runs on the server's one JavaScript thread: a gzipped iJW file of several
-- MB as one parameter, or a 10 MB document, held it for up to a second (PGlite serialising the parameter, PostgreSQL
-- storing the value), so the health check waited that long. A file is now written one part per statement with the
-- event loop free between them, and read back the same way.
--
-- ijw_message.xml_gzip keeps the first part of the gzipped file (at most 256 kB) and ijw_message_part the rest in
-- order; a message stored before this migration has the whole file in xml_gzip and no parts, and reads the same:
-- the file is xml_gzip followed by its parts (src/ijw/message-file.ts).
CREATE TABLE ijw_message_part (
  message_id  bigint NOT NULL REFERENCES ijw_message(id),
  part_no     integer NOT NULL CHECK (part_no >= 1),   -- 1, 2, …: the parts after xml_gzip
  bytes       bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 1 AND 262144),
  PRIMARY KEY (message_id, part_no)
);

-- provider_document.content likewise keeps the first part of the document and provider_document_part the rest;
-- `bytes` stays the size of the whole document (the check that content alone has that size goes: it held only while
-- a document was one value). A document stored before this migration has no parts.
CREATE TABLE provider_document_part (
  document_id bigint NOT NULL REFERENCES provider_document(id),
  part_no     integer NOT NULL CHECK (part_no >= 1),
  bytes       bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 1 AND 262144),
  PRIMARY KEY (document_id, part_no)
);
ALTER TABLE provider_document DROP CONSTRAINT provider_document_check;
ALTER TABLE provider_document ADD CONSTRAINT provider_document_first_part CHECK (octet_length(content) <= bytes);

-- The iJW import's history preload reads a provider's allocations in one municipality in pages by id
-- (src/ijw/history-db.ts, `a.municipality_code = $1 AND a.provider_id = $2 AND a.id > $3 ORDER BY a.id LIMIT n`): with
-- only allocation (provider_id) each page fetched and sorted all the provider's later allocations, over 100 ms per
-- page on PGlite for a large provider (issue 14, point 2); this index reads each page as one ordered range.
CREATE INDEX allocation_provider_municipality_id ON allocation (provider_id, municipality_code, id);
