// The file of an iJW message is stored in parts (migration 034, issue 14 point 2): the first 256 kB of the gzipped
// file in ijw_message.xml_gzip, the rest in ijw_message_part, so that no statement carries megabytes. Reading a
// message's XML (the detail page's download, the CLI's answer file) gives back the exact bytes whichever way it was
// stored: in parts, or whole in xml_gzip as every message stored before the migration. (The real import of a file
// whose gzipped size exceeds one part is in test/http/upload-health.test.ts, the JW323 of 8,000 lines.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Db } from '../../src/db/index.ts';
import { FILE_PART_BYTES, firstPart, writeFileParts } from '../../src/db/index.ts';
import { importMessage } from '../../src/ijw/import.ts';
import { messageXml } from '../../src/ijw/store.ts';
import { TODAY, declaration } from './helpers.ts';
import { declarationFile, importFixture, keys } from './fixture.ts';

let db: Db;
beforeAll(async () => {
  ({ db } = await importFixture());
}, 180_000);
afterAll(async () => {
  await db?.close();
});

const parts = async (id: number) =>
  await db.query(`SELECT part_no, octet_length(bytes) AS n FROM ijw_message_part WHERE message_id = $1 ORDER BY part_no`, [id]);

describe('the file of a message, stored in parts', () => {
  it('a file smaller than a part stays whole in xml_gzip and reads back byte for byte, the JW325 answer too', async () => {
    const file = declarationFile(declaration());
    const r = await importMessage(db, file, { keys, today: TODAY });
    expect(await parts(r.messageId)).toEqual([]);
    const { xml, filename } = await messageXml(db, r.messageId);
    expect(Buffer.compare(xml, readFileSync(file))).toBe(0);
    expect(filename).toMatch(/^JW323-T\d+\.xml$/);
    expect((await messageXml(db, r.answerMessageId!)).xml.toString('utf8')).toMatch(/BerichtCode>491</); // JW325
  });

  it('a file of many parts reads back in order; one stored whole before migration 034 reads the same', async () => {
    const file = declarationFile(declaration());
    const bytes = readFileSync(file);
    const { messageId } = await importMessage(db, file, { keys, today: TODAY });
    const gz = gzipSync(bytes);
    // stored again in parts of 100 bytes: the first in xml_gzip, the rest as parts 1 … n
    await db.transaction(async (tx) => {
      await tx.query(`UPDATE ijw_message SET xml_gzip = decode($2, 'base64') WHERE id = $1`, [messageId, firstPart(gz, 100).toString('base64')]);
      const n = await writeFileParts(tx, 'ijw_message_part', messageId, gz, 100);
      expect(n).toBe(Math.ceil(gz.length / 100) - 1);
    });
    const stored = await parts(messageId);
    expect(stored.length).toBeGreaterThan(5);
    expect(stored.map((p) => p.part_no)).toEqual(stored.map((_, i) => i + 1));
    expect(Buffer.compare((await messageXml(db, messageId)).xml, bytes)).toBe(0);
    // as before the migration: the whole gzipped file in xml_gzip, no parts
    await db.query(`DELETE FROM ijw_message_part WHERE message_id = $1`, [messageId]);
    await db.query(`UPDATE ijw_message SET xml_gzip = decode($2, 'base64') WHERE id = $1`, [messageId, gz.toString('base64')]);
    expect(Buffer.compare((await messageXml(db, messageId)).xml, bytes)).toBe(0);
  });

  it('no stored part is larger than 256 kB: the database refuses one', async () => {
    const [{ id }] = await db.query(`SELECT id FROM ijw_message ORDER BY id LIMIT 1`);
    await expect(
      db.query(`INSERT INTO ijw_message_part (message_id, part_no, bytes) VALUES ($1, 99, decode($2, 'base64'))`, [
        id,
        Buffer.alloc(FILE_PART_BYTES + 1).toString('base64'),
      ]),
    ).rejects.toThrow(/check/i);
  });
});
