// Documents in the database (issue 16): upload (check type from the bytes, SHA-256, store as bytea with the evidence
// row in one transaction) and download (read in scope) of a 10 MB PDF, 20 times each, on embedded PGlite in memory,
// or on PostgreSQL when DATABASE_URL is set. The HTTP layer (streaming to a temporary file) is not in the figure.
//   node bench/documents.mjs            DATABASE_URL=postgres://… node bench/documents.mjs
import { register } from 'tsx/esm/api';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

register();
const { openDb, migrate } = await import('../src/db/index.ts');
const { uploadEvidence, getDocument } = await import('../src/providers/documents.ts');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20),
  MB = 1024 * 1024;
const db = await openDb(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: 'memory://' });
await migrate(db);
await db.query(`INSERT INTO region (id, name, jeugdzorgregio) VALUES ('bench', 'Bench', 'Bench') ON CONFLICT DO NOTHING`);
await db.query(
  `INSERT INTO municipality (code, name, province, jeugdzorgregio, region_id) VALUES ('9999', 'Benchdorp', 'Bench', 'Bench', 'bench') ON CONFLICT DO NOTHING`,
);
const [{ id: providerId }] = await db.query(`INSERT INTO provider (name) VALUES ('Bench Jeugdzorg') RETURNING id`);
const [{ id: segmentId }] = await db.query(
  `INSERT INTO segment (region_id, code, name, sort_order) VALUES ('bench', 'B${Date.now() % 1e6}', 'Bench', 1) RETURNING id`,
);
const [{ id: windowId }] = await db.query(
  `INSERT INTO admission_window (region_id, segment_id, opens_on, closes_on) VALUES ('bench', $1, '2020-01-01', '2099-12-31') RETURNING id`,
  [segmentId],
);
const [{ id: app }] = await db.query(
  `INSERT INTO admission_application (region_id, provider_id, segment_id, municipality_code, window_id, submitted_on) VALUES ('bench', $1, $2, '9999', $3, '2025-01-01') RETURNING id`,
  [providerId, segmentId, windowId],
);

const dir = mkdtempSync(path.join(tmpdir(), 'rk-bench-doc-'));
const file = path.join(dir, 'upload');
const content = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * MB - 9, 7)]);
writeFileSync(file, content);
const scope = { regionId: 'bench', municipalityCode: null, providerId, label: 'bench' };
const up = [],
  down = [];
let last = 0;
for (let i = 0; i < ROUNDS; i++) {
  let t = performance.now();
  last = (
    await uploadEvidence(
      db,
      scope,
      null,
      app,
      { requirement: 'bibob', fileName: `bibob-${i}.pdf`, declaredType: 'application/pdf' },
      { path: file, bytes: content.length },
    )
  ).documentId;
  up.push(performance.now() - t);
  t = performance.now();
  const d = await getDocument(db, scope, providerId, last);
  down.push(performance.now() - t);
  if (d.content.length !== content.length) throw new Error('ander bestand terug');
}
const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (in geheugen)'}: ${ROUNDS} × 10 MB`);
console.log(`opslaan (controle + SHA-256 + bytea, één transactie): mediaan ${med(up).toFixed(0)} ms, hoogste ${Math.max(...up).toFixed(0)} ms`);
console.log(`downloaden (lezen in scope):                        mediaan ${med(down).toFixed(0)} ms, hoogste ${Math.max(...down).toFixed(0)} ms`);
console.log(`geheugen na afloop: rss ${(process.memoryUsage().rss / MB).toFixed(0)} MB, heap ${(process.memoryUsage().heapUsed / MB).toFixed(0)} MB`);
rmSync(dir, { recursive: true, force: true });
await db.close();
