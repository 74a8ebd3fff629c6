// The iJW message routes on the Twente demo (which imports three JW323s into Enschede's inbox and writes their
// JW325 answers and some JW301s): scoped per role, personal reads audited, files in and out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, login, seededServer } from '../helpers/app.ts';
import { validateXsd } from '../../src/ijw/xsd.ts';
import { RETOURCODES } from '../../src/ijw/retourcodes.ts';
import { viewAndDefinition } from '../helpers/db.ts';
import { runImportViaServer } from '../../src/ijw/cli.ts';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const cookie: Record<string, string> = {};
let ownProvider = 0;
const base = '/api/regions/twente/ijw';
const get = (role: string, url: string) => ctx.server.inject({ method: 'GET', url, headers: { cookie: cookie[role] } });
const counts = async () =>
  (
    await ctx.db.query(
      `SELECT (SELECT count(*) FROM ijw_message)::int AS m, (SELECT count(*) FROM ijw_declaration_line)::int AS l, (SELECT count(*) FROM declaration_line)::int AS d`,
    )
  )[0];

beforeAll(async () => {
  ctx = await seededServer(['twente']);
  for (const r of ['regio', 'gemeente', 'aanbieder']) cookie[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
  ownProvider = (await ctx.db.query(`SELECT provider_id FROM account WHERE username = 'aanbieder'`))[0].provider_id;
}, 600_000);
afterAll(async () => {
  await ctx?.close();
});

describe('inbox and outbox', () => {
  it('a municipality sees its own messages in and out, a JW323 linked to its JW325', async () => {
    const res = await get('gemeente', `${base}/messages?limit=500`);
    expect(res.statusCode).toBe(200);
    const { total, messages } = res.json();
    expect(total).toBe(messages.length);
    expect(messages.every((m: any) => m.municipalityCode === '0153')).toBe(true);
    const decl = messages.filter((m: any) => m.type === 'JW323');
    expect(decl).toHaveLength(3);
    for (const d of decl) {
      expect(d).toMatchObject({ direction: 'in', status: 'verwerkt' });
      expect(d.acceptedLines + d.rejectedLines).toBe(d.lines);
      const answer = messages.find((m: any) => m.messageId === d.answerMessageId);
      expect(answer).toMatchObject({ type: 'JW325', direction: 'out', status: 'verzonden' });
    }
    expect(decl.some((d: any) => d.rejectedLines > 0)).toBe(true);
    expect(messages.filter((m: any) => m.type === 'JW301' && m.direction === 'out').length).toBeGreaterThan(0);
    const onlyIn = (await get('gemeente', `${base}/messages?direction=in&type=JW323`)).json();
    expect(onlyIn.total).toBe(3);
  });

  it('a provider sees only its own; the region sees the list but no lines', async () => {
    const own = (await get('aanbieder', `${base}/messages?limit=500`)).json();
    expect(own.total).toBeGreaterThan(0);
    expect(own.messages.every((m: any) => m.providerId === ownProvider)).toBe(true);
    const all = (await get('regio', `${base}/messages?limit=500`)).json();
    expect(all.total).toBeGreaterThan(own.total);
    const other = all.messages.find((m: any) => m.type === 'JW323' && m.providerId !== ownProvider);
    expect((await get('regio', `${base}/messages/${other.messageId}`)).statusCode).toBe(403);
    expect((await get('aanbieder', `${base}/messages/${other.messageId}`)).statusCode).toBe(404);
    expect((await get('gemeente', `${base}/messages/${other.messageId}`)).statusCode).toBe(200);
  });

  it('a declaration shows accepted and rejected lines with the reason in plain Dutch; reading it is audited', async () => {
    const decl = (await get('aanbieder', `${base}/messages?type=JW323`)).json().messages[0];
    const audits = async () => (await ctx.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'read'`))[0].n;
    const before = await audits();
    const res = await get('aanbieder', `${base}/messages/${decl.messageId}`);
    expect(res.statusCode).toBe(200);
    expect(await audits()).toBe(before + 1);
    const { message, lines } = res.json();
    expect(message.messageId).toBe(decl.messageId);
    expect(lines).toHaveLength(decl.lines);
    const rejected = lines.filter((l: any) => l.status === 'afgewezen');
    expect(rejected.map((l: any) => l.findings[0].code).sort()).toEqual(['TR338', 'TR418', 'TR418']);
    const tariff = rejected.find((l: any) => l.findings[0].code === 'TR418').findings[0];
    expect(tariff.retourcode).toBe('0611');
    expect(tariff.text).toContain(RETOURCODES['0611']);
    expect(lines.filter((l: any) => l.status === 'geaccepteerd').every((l: any) => l.youthId !== null && l.productName !== '')).toBe(true);
    // the answer lists the rejected lines
    const answer = (await get('aanbieder', `${base}/messages/${decl.answerMessageId}`)).json();
    expect(answer.lines.map((l: any) => l.lineNo)).toEqual(rejected.map((l: any) => l.lineNo));
  });

  it('the file itself downloads as XML and validates', async () => {
    const decl = (await get('gemeente', `${base}/messages?type=JW325`)).json().messages[0];
    const res = await get('gemeente', `${base}/messages/${decl.messageId}/xml`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/xml');
    expect((await validateXsd({ xml: res.body })).findings).toEqual([]);
  });
});

describe('ledger', () => {
  it('per municipality × provider × product × month, in scope, equal to the accepted lines', async () => {
    const year = (await ctx.db.query(`SELECT demo_year FROM region WHERE id = 'twente'`))[0].demo_year;
    const res = await get('gemeente', `${base}/ledger?year=${year}&month=11`);
    expect(res.statusCode).toBe(200);
    const l = res.json();
    expect(l.rows.length).toBeGreaterThan(0);
    expect(l.rows.every((r: any) => r.municipalityCode === '0153' && r.month === `${year}-11`)).toBe(true);
    const [{ cents }] = await ctx.db.query(
      `SELECT sum(CASE debit_credit WHEN 'C' THEN -amount_cents ELSE amount_cents END)::int8 AS cents FROM declaration_line
      WHERE status = 'geaccepteerd' AND municipality_code = '0153' AND period_start >= $1 AND period_start < $2`,
      [`${year}-11-01`, `${year}-12-01`],
    );
    expect(l.totalCents).toBe(cents);
    const own = (await get('aanbieder', `${base}/ledger?year=${year}`)).json();
    expect(own.rows.every((r: any) => r.providerId === ownProvider)).toBe(true);
    const csv = await get('gemeente', `${base}/ledger.csv?year=${year}&month=11`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.trim().split('\r\n')).toHaveLength(l.rows.length + 1);
  });
});

describe('ledger pages', () => {
  it('one page sorted on the server: counts and totals over all rows, pages that add up to the whole list, sorting by amount', async () => {
    const year = (await ctx.db.query(`SELECT demo_year FROM region WHERE id = 'twente'`))[0].demo_year;
    const all = (await get('regio', `${base}/ledger?year=${year}&month=3`)).json();
    expect(all.totalRows).toBe(all.rows.length);
    expect(all.rows.length).toBeGreaterThan(250);
    const p1 = (await get('regio', `${base}/ledger?year=${year}&month=3&limit=100`)).json();
    expect(p1.rows).toHaveLength(100);
    expect(p1).toMatchObject({
      totalRows: all.totalRows,
      totalCents: all.totalCents,
      totalLines: all.rows.reduce((s: number, r: any) => s + r.lines, 0),
      offset: 0,
    });
    expect(p1.rows).toEqual(all.rows.slice(0, 100)); // the same order as the whole list
    const p3 = (await get('regio', `${base}/ledger?year=${year}&month=3&limit=100&offset=200`)).json();
    expect(p3.rows).toEqual(all.rows.slice(200, 300));
    const beyond = (await get('regio', `${base}/ledger?year=${year}&month=3&limit=100&offset=${all.totalRows}`)).json();
    expect(beyond).toMatchObject({ rows: [], totalRows: all.totalRows, totalCents: all.totalCents });
    const byAmount = (await get('regio', `${base}/ledger?year=${year}&month=3&limit=50&sort=amount&desc=true`)).json().rows.map((r: any) => r.amountCents);
    expect(byAmount).toEqual([...all.rows.map((r: any) => r.amountCents)].sort((a, b) => b - a).slice(0, 50));
    // a municipality's pages hold only its own rows
    const own = (await get('gemeente', `${base}/ledger?year=${year}&limit=20&sort=provider`)).json();
    expect(own.rows.every((r: any) => r.municipalityCode === '0153')).toBe(true);
    expect((await get('regio', `${base}/ledger?year=${year}&limit=0`)).statusCode).toBe(400);
    expect((await get('regio', `${base}/ledger?year=${year}&limit=10&sort=bsn`)).statusCode).toBe(400);
  });
});

describe('dropping a file and writing JW301s', () => {
  it('a municipality drops a declaration: the same file again is a duplicate; a bad file or one for another municipality stores nothing', async () => {
    const decl = (await get('gemeente', `${base}/messages?type=JW323`)).json().messages[0];
    const xml = (await get('gemeente', `${base}/messages/${decl.messageId}/xml`)).body;
    const post = (role: string, body: string, type = 'application/xml') =>
      ctx.server.inject({ method: 'POST', url: `${base}/messages`, headers: { cookie: cookie[role], 'content-type': type }, payload: body });
    const before = await counts();
    const dup = await post('gemeente', xml);
    expect(dup.statusCode).toBe(200);
    expect(dup.json()).toMatchObject({ messageId: decl.messageId, duplicate: true, type: 'JW323', lines: decl.lines, answerMessageId: decl.answerMessageId });
    expect((await post('aanbieder', xml)).statusCode).toBe(403);
    const bad = await post('gemeente', xml.replace('<jw323:GeleverdVolume>', '<jw323:GeleverdVolume>x'), 'text/xml');
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors[0]).toMatchObject({ code: 'XSD', location: expect.stringContaining('GeleverdVolume') });
    const broken = await post('gemeente', '<niet-af');
    expect(broken.statusCode).toBe(422);
    const elsewhere = await post('gemeente', xml.replace('<jw323:Ontvanger>0153<', '<jw323:Ontvanger>0141<'));
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().detail).toContain('0141');
    expect(await counts()).toEqual(before);
  });

  it('writes JW301s for the allocations not yet sent, each valid against the XSD, and not twice', async () => {
    const res = await ctx.server.inject({ method: 'POST', url: `${base}/exports`, headers: { cookie: cookie.gemeente }, payload: { type: 'JW301' } });
    expect(res.statusCode).toBe(200);
    const { messages } = res.json();
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages.slice(0, 10)) {
      const xml = (await get('gemeente', `${base}/messages/${m.messageId}/xml`)).body;
      expect((await validateXsd({ xml })).findings).toEqual([]);
    }
    const again = (
      await ctx.server.inject({ method: 'POST', url: `${base}/exports`, headers: { cookie: cookie.gemeente }, payload: { type: 'JW301' } })
    ).json();
    expect(again.messages).toEqual([]);
    expect(
      (await ctx.server.inject({ method: 'POST', url: `${base}/exports`, headers: { cookie: cookie.regio }, payload: { type: 'JW301' } })).statusCode,
    ).toBe(403);
  });

  it('a JW301 dropped in changes the allocation and the trajectories monitoring reads', async () => {
    const sent = (await get('gemeente', `${base}/messages?type=JW301`)).json().messages.find((m: any) => m.direction === 'out');
    const xml = (await get('gemeente', `${base}/messages/${sent.messageId}/xml`)).body;
    const nr = xml.match(/<jw301:ToewijzingNummer>(\d+)</)![1];
    // the same allocation, now running to the end of 2031: a new message (another identification) that changes it
    // (it carries the youth's BRP address, as CD034 and TR006 ask)
    expect(xml).toMatch(
      /<jw301:Contact>\s*<jw301:Soort>01<\/jw301:Soort>\s*<jw301:Adres>\s*<ijw:Huis>\s*<ijw:Huisnummer>\d+<\/ijw:Huisnummer>\s*<\/ijw:Huis>\s*<ijw:Postcode>\d{4}[A-Z]{2}</,
    );
    const changed = xml.replace(/<jw301:Einddatum>[^<]+</, '<jw301:Einddatum>2031-12-31<').replace(/<ijw:Identificatie>[^<]+</, '<ijw:Identificatie>WEB2031<');
    const res = await ctx.server.inject({
      method: 'POST',
      url: `${base}/messages`,
      headers: { cookie: cookie.gemeente, 'content-type': 'application/xml' },
      payload: changed,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ type: 'JW301', duplicate: false, rejectedLines: 0 });
    expect(
      (await ctx.db.query(`SELECT end_date FROM allocation WHERE municipality_code = '0153' AND ltrim(assignment_number, '0') = $1`, [String(Number(nr))]))[0]
        .end_date,
    ).toBe('2031-12-31');
    const { stored, fresh } = await viewAndDefinition(ctx.db, 'allocation_trajectory', 'region_id, youth_id, segment_id');
    expect(stored.length).toBeGreaterThan(0);
    expect(stored).toEqual(fresh);
  });

  it('ijw import --server: the CLI has a running server do the import (its database is locked), answers included', async () => {
    const address = await ctx.server.listen({ port: 0, host: '127.0.0.1' });
    const dir = mkdtempSync(path.join(tmpdir(), 'rk-cli-server-'));
    try {
      const decl = (await get('gemeente', `${base}/messages?type=JW323`)).json().messages[0];
      const xml = (await get('gemeente', `${base}/messages/${decl.messageId}/xml`)).body;
      writeFileSync(path.join(dir, 'decl.xml'), xml);
      writeFileSync(path.join(dir, 'bad.xml'), xml.replace('<jw323:GeleverdVolume>', '<jw323:GeleverdVolume>x'));
      let out = '';
      const opts = {
        server: address,
        region: 'twente',
        username: 'gemeente',
        password: demoPassword(ctx.accounts, 'gemeente'),
        answers: path.join(dir, 'antwoorden'),
        json: true,
        out: (s: string) => {
          out += s;
        },
      };
      expect(await runImportViaServer([path.join(dir, 'decl.xml')], opts)).toBe(decl.rejectedLines > 0 ? 1 : 0); // as the local import: 1 when lines were rejected
      expect(JSON.parse(out)[0]).toMatchObject({ messageId: decl.messageId, duplicate: true, answerMessageId: decl.answerMessageId });
      const [answer] = readdirSync(path.join(dir, 'antwoorden'));
      expect(readFileSync(path.join(dir, 'antwoorden', answer), 'utf8')).toMatch(/<jw325:Bericht|jw325/);
      out = '';
      const before = await counts();
      expect(await runImportViaServer([path.join(dir, 'bad.xml')], opts)).toBe(1);
      expect(JSON.parse(out)[0].errors[0]).toMatchObject({ code: 'XSD' });
      expect(await counts()).toEqual(before);
      expect(await runImportViaServer([path.join(dir, 'decl.xml')], { ...opts, password: 'fout-wachtwoord' })).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
