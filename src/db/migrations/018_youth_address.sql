-- The youth's BRP address, as the allocation message (JW301) must carry it (CD034, TR006: a contact of kind 01 has
-- house number and postcode). Personal data: encrypted like the BSN (AES-256-GCM, the JSON of the iJW Adres), and
-- only the message layer (src/ijw) decrypts it. NULL: not known (an allocation of such a youth is not exported).
ALTER TABLE youth ADD COLUMN address_encrypted bytea;
