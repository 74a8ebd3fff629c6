// Documents in a provider's dossier over the API: a provider uploads evidence as a file (raw body), the region sees
// and downloads it, every download is in the audit log, another provider and a municipality cannot get it, bad files
// are refused naming the field with nothing stored, and a ladder step's letter is kept as a document. Also: the
// embedded database's backup carries the documents, and the minutes and agreements of quarterly conversations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seededServer, login, demoPassword } from '../helpers/app.ts';
import { createAccount } from '../../src/access/store.ts';
import { openDb, migrate, backupDataDir, restoreDataDir, FILE_PART_BYTES } from '../../src/db/index.ts';
import { insertDocument, getDocument } from '../../src/providers/documents.ts';
import { checkDocument } from '../../src/providers/files.ts';
import { docx, pdf, png } from './zip.ts';

let ctx: Awaited<ReturnType<typeof seededServer>>;
const cookies: Record<string, string> = {};
const R = '/api/regions/twente';
let ownProvider = 0,
  otherProvider = 0,
  application = 0;

const call = async (role: string, method: string, url: string, payload?: unknown) => {
  const res = await ctx.server.inject({ method: method as any, url, payload: payload as any, headers: { cookie: cookies[role] } });
  return {
    status: res.statusCode,
    json: res.headers['content-type']?.toString().includes('json') ? JSON.parse(res.body) : null,
    body: res.body,
    raw: res.rawPayload,
    headers: res.headers,
  };
};
const upload = async (role: string, requirement: string, fileName: string, content: Buffer, type = 'application/octet-stream', extra = '') => {
  const res = await ctx.server.inject({
    method: 'POST',
    url: `${R}/admission/applications/${application}/evidence/${requirement}/document?fileName=${encodeURIComponent(fileName)}${extra}`,
    payload: content,
    headers: { cookie: cookies[role], 'content-type': type },
  });
  return { status: res.statusCode, json: JSON.parse(res.body) };
};
const count = async (sql: string, p: unknown[] = []) => (await ctx.db.query(sql, p))[0].n as number;

beforeAll(async () => {
  ctx = await seededServer(['twente']);
  for (const r of ['regio', 'gemeente', 'aanbieder']) cookies[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
  ownProvider = (await ctx.db.query(`SELECT provider_id FROM account WHERE username = 'aanbieder'`))[0].provider_id;
  otherProvider = (
    await ctx.db.query(
      `SELECT p.id FROM provider p JOIN contract c ON c.provider_id = p.id WHERE c.region_id = 'twente' AND p.id <> $1 ORDER BY p.id LIMIT 1`,
      [ownProvider],
    )
  )[0].id;
  await createAccount(ctx.db, {
    username: 'aanbieder2',
    displayName: 'Andere aanbieder',
    password: 'een-lang-wachtwoord',
    role: 'aanbieder',
    providerId: otherProvider,
  });
  cookies.aanbieder2 = await login(ctx.server, 'aanbieder2', 'een-lang-wachtwoord');
  const seg = (await ctx.db.query(`SELECT code FROM segment WHERE region_id = 'twente' AND parent_id IS NULL ORDER BY sort_order LIMIT 1`))[0].code;
  expect((await call('regio', 'POST', `${R}/admission/windows`, { segmentCode: seg, opensOn: '2020-01-01', closesOn: '2099-12-31' })).status).toBe(201);
  application = (await call('aanbieder', 'POST', `${R}/admission/applications`, { segmentCode: seg, municipalityCode: '0153' })).json.id;
}, 300_000);
afterAll(async () => {
  await ctx?.close();
});

describe('evidence as a file', () => {
  it('the provider uploads a PDF; the region sees it with its checksum and downloads it; the download is audited', async () => {
    const content = pdf('polis aansprakelijkheid 2026');
    const sha = createHash('sha256').update(content).digest('hex');
    const up = await upload('aanbieder', 'verzekering', 'Polis 2026.pdf', content, 'application/pdf', '&validUntil=2027-01-01&description=Polis%20AVB%202026');
    expect(up.status, JSON.stringify(up.json)).toBe(201);
    expect(up.json).toMatchObject({ fileName: 'Polis 2026.pdf', mediaType: 'application/pdf', bytes: content.length, sha256: sha });
    const detail = (await call('regio', 'GET', `${R}/admission/applications/${application}`)).json;
    const item = detail.checklist.find((c: any) => c.code === 'verzekering');
    expect(item.evidence).toMatchObject({
      description: 'Polis AVB 2026',
      validUntil: '2027-01-01',
      document: { id: up.json.documentId, fileName: 'Polis 2026.pdf', sha256: sha, bytes: content.length, uploadedBy: expect.any(String) },
    });
    // the dossier lists it; the region downloads exactly the bytes
    const list = (await call('regio', 'GET', `${R}/providers/${ownProvider}/documents`)).json;
    expect(list.find((d: any) => d.id === up.json.documentId)).toMatchObject({
      kind: 'bewijs',
      evidence: { applicationId: application, requirement: 'verzekering' },
      sha256: sha,
    });
    const before = await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read' AND subject = 'provider_document'`);
    const dl = await call('regio', 'GET', `${R}/providers/${ownProvider}/documents/${up.json.documentId}`);
    expect(dl.status).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['x-checksum-sha256']).toBe(sha);
    expect(dl.headers['content-disposition']).toBe(`attachment; filename="Polis 2026.pdf"; filename*=UTF-8''Polis%202026.pdf`);
    expect(Buffer.compare(dl.raw, content)).toBe(0);
    const audit = await ctx.db.query(
      `SELECT subject_ids, detail FROM audit_log WHERE action = 'read' AND subject = 'provider_document' ORDER BY id DESC LIMIT 1`,
    );
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read' AND subject = 'provider_document'`)).toBe(before + 1);
    expect(audit[0].subject_ids.map(Number)).toEqual([up.json.documentId]);
    expect(audit[0].detail).toMatchObject({ fileName: 'Polis 2026.pdf', sha256: sha });
    // the provider downloads its own
    expect((await call('aanbieder', 'GET', `${R}/providers/${ownProvider}/documents/${up.json.documentId}`)).status).toBe(200);
  });

  it('a document larger than 256 kB is stored in parts of at most 256 kB and downloads byte for byte; so does one stored whole before migration 034', async () => {
    // 3 MB that do not compress: 256 kB in the document's row, 11 parts of 256 kB after it, the last one shorter
    const content = Buffer.concat([pdf('jaarverslag'), randomBytes(3 * 1024 * 1024 - 1000)]);
    const up = await upload('aanbieder', 'governancecode', 'Jaarverslag.pdf', content, 'application/pdf');
    expect(up.status, JSON.stringify(up.json)).toBe(201);
    const id = up.json.documentId;
    const parts = await ctx.db.query(`SELECT part_no, octet_length(bytes) AS n FROM provider_document_part WHERE document_id = $1 ORDER BY part_no`, [id]);
    const [{ first }] = await ctx.db.query(`SELECT octet_length(content) AS first FROM provider_document WHERE id = $1`, [id]);
    expect(first).toBe(FILE_PART_BYTES);
    expect(parts.map((p) => p.part_no)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    expect(parts.every((p) => p.n <= FILE_PART_BYTES)).toBe(true);
    expect(first + parts.reduce((s, p) => s + p.n, 0)).toBe(content.length);
    const dl = await call('regio', 'GET', `${R}/providers/${ownProvider}/documents/${id}`);
    expect(dl.status).toBe(200);
    expect(Buffer.compare(dl.raw, content)).toBe(0);
    // the way a document was stored before migration 034: the whole file in the row, no parts
    await ctx.db.query(`DELETE FROM provider_document_part WHERE document_id = $1`, [id]);
    await ctx.db.query(`UPDATE provider_document SET content = decode($2, 'base64') WHERE id = $1`, [id, content.toString('base64')]);
    const old = await call('regio', 'GET', `${R}/providers/${ownProvider}/documents/${id}`);
    expect(old.headers['x-checksum-sha256']).toBe(createHash('sha256').update(content).digest('hex'));
    expect(Buffer.compare(old.raw, content)).toBe(0);
  });

  it('another provider cannot download or list it; a municipality gets no documents', async () => {
    const [{ id }] = await ctx.db.query(`SELECT id FROM provider_document WHERE provider_id = $1 ORDER BY id LIMIT 1`, [ownProvider]);
    expect((await call('aanbieder2', 'GET', `${R}/providers/${ownProvider}/documents/${id}`)).status).toBe(404);
    expect((await call('aanbieder2', 'GET', `${R}/providers/${otherProvider}/documents/${id}`)).status).toBe(404); // its own path, not its document
    expect((await call('aanbieder2', 'GET', `${R}/providers/${ownProvider}/documents`)).status).toBe(404);
    expect((await call('gemeente', 'GET', `${R}/providers/${ownProvider}/documents/${id}`)).status).toBe(403);
    expect((await call('aanbieder2', 'GET', `${R}/admission/applications/${application}`)).status).toBe(404);
  });

  it('refuses bad files with a Dutch message naming the field, and stores nothing', async () => {
    const docs = await count(`SELECT count(*)::int AS n FROM provider_document`);
    const evidence = await count(`SELECT count(*)::int AS n FROM admission_evidence WHERE application_id = $1`, [application]);
    const exe = await upload('aanbieder', 'bibob', 'bibob.pdf', Buffer.from('MZ\x90\x00 this program cannot be run', 'latin1'), 'application/pdf');
    expect(exe).toMatchObject({
      status: 415,
      json: { field: 'body', detail: "bestand 'bibob.pdf' is een programma; alleen PDF, PNG, JPEG, docx, xlsx, odt of ods zijn toegestaan" },
    });
    const txt = await upload('aanbieder', 'bibob', 'bibob.txt', Buffer.from('tekst'), 'text/plain');
    expect(txt).toMatchObject({ status: 415, json: { field: 'fileName' } });
    const path1 = await upload('aanbieder', 'bibob', '../../bibob.pdf', pdf());
    expect(path1).toMatchObject({
      status: 400,
      json: { field: 'fileName', detail: "bestandsnaam '../../bibob.pdf' bevat een map (/ of \\): geef alleen de naam van het bestand" },
    });
    const empty = await upload('aanbieder', 'bibob', 'bibob.pdf', Buffer.alloc(0), 'application/pdf');
    expect(empty).toMatchObject({ status: 400, json: { field: 'body' } });
    expect(empty.json.detail).toMatch(/'bibob.pdf' is leeg/);
    const mismatch = await upload('aanbieder', 'bibob', 'bibob.png', pdf(), 'image/png');
    expect(mismatch).toMatchObject({
      status: 415,
      json: { field: 'fileName', detail: "bestand 'bibob.png': de naam eindigt op .png, maar de inhoud is een PDF" },
    });
    const macro = await upload('aanbieder', 'bibob', 'bibob.docx', docx([['word/vbaProject.bin', 'x']]));
    expect(macro.json.detail).toMatch(/macro's/);
    const noDate = await upload('aanbieder', 'certificaat', 'skj.png', png(), 'image/png');
    expect(noDate).toMatchObject({ status: 400, json: { field: 'validUntil' } });
    // too large: the region sets 1 MB; the declared length is refused before the body is read, a file without one after
    expect((await call('regio', 'PUT', `${R}/admission/settings`, { documentMaxMb: 1 })).json.documentMaxMb).toBe(1);
    const big = Buffer.concat([pdf(), Buffer.alloc(1024 * 1024 + 10)]);
    const large = await upload('aanbieder', 'bibob', 'bibob.pdf', big, 'application/pdf');
    expect(large).toMatchObject({ status: 413, json: { field: 'body' } });
    expect(large.json.detail).toMatch(/de grens is 1 MB/);
    await call('regio', 'PUT', `${R}/admission/settings`, { documentMaxMb: 10 });
    expect(await count(`SELECT count(*)::int AS n FROM provider_document`)).toBe(docs);
    expect(await count(`SELECT count(*)::int AS n FROM admission_evidence WHERE application_id = $1`, [application])).toBe(evidence);
    // a good docx for the same requirement is taken; the description defaults to the file name
    const ok = await upload('aanbieder', 'bibob', 'Bibob-vragenlijst.docx', docx());
    expect(ok.status).toBe(201);
    expect(ok.json.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const item = (await call('aanbieder', 'GET', `${R}/admission/applications/${application}`)).json.checklist.find((c: any) => c.code === 'bibob');
    expect(item.evidence.description).toBe('Bibob-vragenlijst.docx');
    // a municipality uploads nothing; another provider cannot upload to this application
    expect((await upload('gemeente', 'bibob', 'x.pdf', pdf())).status).toBe(403);
    expect((await upload('aanbieder2', 'bibob', 'x.pdf', pdf())).status).toBe(404);
  });
});

describe('letters of the enforcement ladder', () => {
  it('a recorded warning stores its letter as a document; the letter route serves those bytes and is audited', async () => {
    const E = `${R}/providers/${otherProvider}/enforcement`;
    const step = await call('regio', 'POST', E, { step: 'waarschuwing', onDate: '2025-02-01', reason: 'Verantwoording 2024 niet ontvangen' });
    expect(step.status).toBe(201);
    const [s] = (await call('regio', 'GET', E)).json;
    expect(s.documentId).toEqual(expect.any(Number));
    const [stored] = await ctx.db.query(`SELECT kind, file_name, media_type, sha256, bytes FROM provider_document WHERE id = $1`, [s.documentId]);
    expect(stored).toMatchObject({ kind: 'brief', file_name: `waarschuwing-${otherProvider}-2025-02-01.pdf`, media_type: 'application/pdf' });
    const before = await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read' AND subject = 'provider_document'`);
    const letter = await call('aanbieder2', 'GET', `${E}/${s.id}/letter.pdf`); // the provider reads its own letter
    expect(letter.status).toBe(200);
    expect(letter.raw.subarray(0, 5).toString()).toBe('%PDF-');
    expect(createHash('sha256').update(letter.raw).digest('hex')).toBe(stored.sha256);
    expect(await count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read' AND subject = 'provider_document'`)).toBe(before + 1);
    const docs = (await call('aanbieder2', 'GET', `${R}/providers/${otherProvider}/documents`)).json;
    expect(docs.map((d: any) => [d.kind, d.enforcementStep?.step])).toContainEqual(['brief', 'waarschuwing']);
    expect((await call('aanbieder', 'GET', `${E}/${s.id}/letter.pdf`)).status).toBe(404);
  });
});

describe('backup', () => {
  it('the embedded database backup carries the documents, byte for byte', async () => {
    const base = mkdtempSync(path.join(tmpdir(), 'rk-docs-'));
    try {
      const dir = path.join(base, 'data'),
        file = path.join(base, 'backup.tar.gz');
      const db = await openDb({ dataDir: dir });
      await migrate(db);
      await db.query(`INSERT INTO region (id, name, jeugdzorgregio) VALUES ('twente', 'Twente', 'Twente')`);
      const [{ id: providerId }] = await db.query(`INSERT INTO provider (name, agb_code) VALUES ('Jarabee', '12345678') RETURNING id`);
      const content = Buffer.concat([pdf('back-up'), Buffer.from(Array.from({ length: 700_000 }, (_, i) => i % 251))]); // three parts (migration 034)
      const doc = checkDocument('kwaliteitskader.pdf', 'application/pdf', content, 10 * 1024 * 1024);
      const id = await insertDocument(db, 'twente', providerId, 'bewijs', doc, content, null);
      await db.close();
      await backupDataDir(dir, file);
      const copy = path.join(base, 'hersteld');
      await restoreDataDir(copy, file);
      const back = await openDb({ dataDir: copy });
      const d = await getDocument(back, { regionId: 'twente', municipalityCode: null, providerId: null, label: '' }, providerId, id);
      await back.close();
      expect(d.sha256).toBe(doc.sha256);
      expect(Buffer.compare(d.content, content)).toBe(0);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('minutes and agreements of the quarterly conversation', () => {
  it('records minutes with agreements; open ones are listed with overdue flagged and come back on the next agenda', async () => {
    const P = `${R}/providers/${ownProvider}`;
    const body = {
      year: 2025,
      quarter: 1,
      heldOn: '2025-04-10',
      participants: ['J. de Vries (regio)', 'A. Jansen (aanbieder)'],
      minutes: 'Cijfers K1 besproken; wachttijd ambulant te lang.',
      agreements: [
        { description: 'Plan om de wachttijd ambulant te verkorten', owner: 'A. Jansen', dueOn: '2025-05-01' },
        { description: 'Wachttijden elk kwartaal publiceren', owner: 'A. Jansen', dueOn: '2099-12-31' },
      ],
    };
    // bad input names the field, nothing stored
    expect((await call('regio', 'POST', `${P}/conversations`, { ...body, heldOn: '2099-01-01' })).json).toMatchObject({ status: 400, field: 'heldOn' });
    expect((await call('regio', 'POST', `${P}/conversations`, { ...body, participants: [' '] })).json).toMatchObject({ field: 'participants' });
    expect((await call('regio', 'POST', `${P}/conversations`, { ...body, minutes: '' })).json).toMatchObject({ field: 'minutes' });
    const early = await call('regio', 'POST', `${P}/conversations`, { ...body, agreements: [{ ...body.agreements[0], dueOn: '2025-04-01' }] });
    expect(early.json).toMatchObject({ field: 'agreements.0.dueOn', detail: 'de uiterste datum 2025-04-01 ligt voor het gesprek (2025-04-10)' });
    expect((await call('regio', 'POST', `${P}/conversations`, { ...body, agreements: [{ ...body.agreements[0], owner: '' }] })).json.field).toBe(
      'agreements.0.owner',
    );
    expect(await count(`SELECT count(*)::int AS n FROM provider_conversation`)).toBe(0);
    expect((await call('aanbieder', 'POST', `${P}/conversations`, body)).status).toBe(403);

    const made = await call('regio', 'POST', `${P}/conversations`, body);
    expect(made.status, made.body).toBe(201);
    expect((await call('regio', 'POST', `${P}/conversations`, body)).status).toBe(409); // one per quarter
    const list = (await call('aanbieder', 'GET', `${P}/conversations`)).json; // the provider reads its own
    expect(list.conversations).toHaveLength(1);
    expect(list.conversations[0]).toMatchObject({ year: 2025, quarter: 1, heldOn: '2025-04-10', participants: body.participants, minutes: body.minutes });
    expect(list.open.map((a: any) => [a.description, a.overdue])).toEqual([
      ['Plan om de wachttijd ambulant te verkorten', true],
      ['Wachttijden elk kwartaal publiceren', false],
    ]);
    expect(list.overdue).toBe(1);
    expect((await call('aanbieder2', 'GET', `${P}/conversations`)).status).toBe(404);
    expect((await call('gemeente', 'GET', `${P}/conversations`)).status).toBe(403);

    // the next quarter's agenda lists the open agreements of the earlier conversation
    const agenda = (await call('regio', 'GET', `${P}/agenda?year=2025&quarter=2`)).json;
    expect(agenda.items.at(-1)).toEqual({
      topic: 'Afspraken van het vorige gesprek en rondvraag',
      facts: [
        'Plan om de wachttijd ambulant te verkorten (afgesproken K1 2025; eigenaar A. Jansen; uiterlijk 2025-05-01; te laat)',
        'Wachttijden elk kwartaal publiceren (afgesproken K1 2025; eigenaar A. Jansen; uiterlijk 2099-12-31)',
      ],
    });
    // the agenda of the conversation's own quarter does not list its own agreements as earlier ones
    expect((await call('regio', 'GET', `${P}/agenda?year=2025&quarter=1`)).json.items.at(-1).facts).toEqual(['geen openstaande afspraken']);

    // done: off the open list and off the next agenda; a later agreement added to the conversation
    const first = list.open[0].id;
    expect((await call('regio', 'PATCH', `${R}/provider-agreements/${first}`, { status: 'done', doneOn: '2099-01-01' })).json.field).toBe('doneOn');
    expect((await call('aanbieder', 'PATCH', `${R}/provider-agreements/${first}`, { status: 'done' })).status).toBe(403);
    expect((await call('regio', 'PATCH', `${R}/provider-agreements/${first}`, { status: 'done', doneOn: '2025-06-01' })).json).toEqual({
      status: 'done',
      overdue: false,
    });
    expect(
      (
        await call('regio', 'POST', `${R}/provider-conversations/${made.json.id}/agreements`, {
          description: 'Jaarverantwoording aanleveren',
          owner: 'Regio: J. de Vries',
          dueOn: '2025-07-01',
        })
      ).status,
    ).toBe(201);
    const after = (await call('regio', 'GET', `${P}/conversations`)).json;
    expect(after.open.map((a: any) => a.description)).toEqual(['Jaarverantwoording aanleveren', 'Wachttijden elk kwartaal publiceren']);
    expect(after.conversations[0].agreements.find((a: any) => a.id === first)).toMatchObject({
      status: 'done',
      doneOn: '2025-06-01',
      doneBy: expect.any(String),
    });
    expect((await call('regio', 'GET', `${P}/agenda?year=2025&quarter=2`)).json.items.at(-1).facts).toHaveLength(2);
    expect((await call('regio', 'PATCH', `${R}/provider-conversations/${made.json.id}`, { minutes: 'Gecorrigeerd verslag' })).status).toBe(200);
    expect((await call('regio', 'GET', `${P}/conversations`)).json.conversations[0].minutes).toBe('Gecorrigeerd verslag');
  });
});
