// Messages say what happened (issue 18): a declaration is accepted, partly accepted or rejected (0 of 40 lines
// accepted is not "Verwerkt"); a JW325 reports the lines it sends back, not "0 van 5 goedgekeurd"; a JW301 shows the
// allocations it carried; rejections are summed per rule and per provider. On the Twente demo (three JW323s in
// Enschede's inbox with their JW325 answers, and JW301s written).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPassword, login, seededServer } from '../helpers/app.ts';
import { messageOutcome } from '../../src/ijw/message-summary.ts';

describe('messageOutcome: the verdict in words', () => {
  const jw323 = { type: 'JW323', direction: 'in' as const, status: 'verwerkt' as const };
  it('0 of 40 lines accepted is a rejection, not "verwerkt"', () => {
    expect(messageOutcome({ ...jw323, lines: 40, acceptedLines: 0, rejectedLines: 40 })).toEqual({
      outcome: 'afgewezen',
      outcomeText: 'Afgewezen: alle 40 regels afgekeurd, niets geboekt',
    });
  });
  it('some lines rejected is partly accepted; all accepted is accepted; a refused file is rejected', () => {
    expect(messageOutcome({ ...jw323, lines: 1200, acceptedLines: 1197, rejectedLines: 3 })).toEqual({
      outcome: 'deels',
      outcomeText: 'Deels goedgekeurd: 1.197 van 1.200 regels geboekt, 3 afgekeurd',
    });
    expect(messageOutcome({ ...jw323, lines: 12, acceptedLines: 12, rejectedLines: 0 }).outcome).toBe('goedgekeurd');
    expect(messageOutcome({ ...jw323, status: 'afgewezen', lines: 12, acceptedLines: 0, rejectedLines: 12 }).outcome).toBe('afgewezen');
  });
  it('a JW325 tells how many lines go back; a JW301 how many allocations', () => {
    expect(messageOutcome({ type: 'JW325', direction: 'out', status: 'verzonden', lines: 5, acceptedLines: 0, rejectedLines: 5 }).outcomeText).toBe(
      'Verzonden: 5 afgekeurde regels teruggemeld aan de aanbieder',
    );
    expect(messageOutcome({ type: 'JW301', direction: 'in', status: 'verwerkt', lines: 1, acceptedLines: 1, rejectedLines: 0 }).outcomeText).toBe(
      'Verwerkt: 1 toewijzing',
    );
  });
});

type Ctx = Awaited<ReturnType<typeof seededServer>>;
let ctx: Ctx;
const cookie: Record<string, string> = {};
const base = '/api/regions/twente/ijw';
const get = (role: string, url: string) => ctx.server.inject({ method: 'GET', url, headers: { cookie: cookie[role] } });

beforeAll(async () => {
  ctx = await seededServer(['twente']);
  for (const r of ['regio', 'gemeente', 'aanbieder']) cookie[r] = await login(ctx.server, r, demoPassword(ctx.accounts, r));
}, 600_000);
afterAll(async () => {
  await ctx?.close();
});

describe('messages API: outcome, rules, allocations', () => {
  it('every message in the list carries its outcome; a declaration with rejected lines is "deels", its JW325 names the lines sent back', async () => {
    const { messages } = (await get('gemeente', `${base}/messages?limit=500`)).json();
    const decl = messages.filter((m: any) => m.type === 'JW323');
    expect(decl.length).toBe(3);
    for (const d of decl) {
      expect(d.outcome).toBe(d.rejectedLines === 0 ? 'goedgekeurd' : d.acceptedLines === 0 ? 'afgewezen' : 'deels');
      const answer = messages.find((m: any) => m.messageId === d.answerMessageId);
      expect(answer.outcome).toBe('verzonden');
      expect(answer.outcomeText).toContain(`${d.rejectedLines.toLocaleString('nl-NL')} afgekeurde regel`);
    }
  });

  it('a declaration and its JW325 sum the rejected lines per rule, with the return code in words', async () => {
    const { messages } = (await get('aanbieder', `${base}/messages?type=JW323`)).json();
    const decl = messages[0];
    const detail = (await get('aanbieder', `${base}/messages/${decl.messageId}`)).json();
    // the demo declaration of the provider rejects 3 lines: TR338 once, TR418 (tariff above the contract) twice
    expect(detail.rules.map((r: any) => [r.code, r.lines])).toEqual([
      ['TR418', 2],
      ['TR338', 1],
    ]);
    expect(detail.rules[0].retourcode).toBe('0611');
    expect(detail.rules.reduce((s: number, r: any) => s + r.lines, 0)).toBe(decl.rejectedLines);
    const answer = (await get('aanbieder', `${base}/messages/${decl.answerMessageId}`)).json();
    expect(answer.rules).toEqual(detail.rules);
  });

  it('a JW301 shows the allocations it carried, with the youth by pseudonym and the product by name', async () => {
    const { messages } = (await get('gemeente', `${base}/messages?direction=out&type=JW301&limit=5`)).json();
    const m = messages[0];
    const detail = (await get('gemeente', `${base}/messages/${m.messageId}`)).json();
    expect(detail.allocations).toHaveLength(m.lines);
    expect(m.lines).toBeGreaterThan(0);
    for (const a of detail.allocations) {
      expect(a.youthPseudonym).not.toMatch(/^jeugdige \d+$/);
      expect(a.productName.length).toBeGreaterThan(0);
      expect(a.startDate).toMatch(/^\d{4}-\d\d-\d\d$/);
    }
  });

  it('rejections per rule and per provider, in scope: the region sees all providers, a provider only itself', async () => {
    const all = (await get('regio', `${base}/rejections`)).json();
    const own = (await get('aanbieder', `${base}/rejections`)).json();
    const decls = (await get('regio', `${base}/messages?type=JW323&limit=500`)).json().messages;
    const rejected = decls.reduce((s: number, d: any) => s + d.rejectedLines, 0);
    expect(all.byProvider.reduce((s: number, p: any) => s + p.rejectedLines, 0)).toBe(rejected);
    expect(all.byProvider.length).toBe(new Set(decls.map((d: any) => d.providerId)).size);
    expect(own.byProvider).toHaveLength(1);
    expect(own.byRule.reduce((s: number, r: any) => s + r.lines, 0)).toBeLessThanOrEqual(all.byRule.reduce((s: number, r: any) => s + r.lines, 0));
    for (const p of all.byProvider) expect(p.acceptedLines + p.rejectedLines).toBe(p.lines);
  });
});
