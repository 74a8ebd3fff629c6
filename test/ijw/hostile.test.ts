// Bad and hostile input: every case is refused with a clear Dutch message, before anything is done with it,
// and without holding the file in memory. Every input is fed to the generated XSD checker too (checkXsd: what
// `ijw validate` and the import run), which must refuse it in the same words.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IjwReadError } from '../../src/ijw/errors.ts';
import { readFullMessage, readMessage } from '../../src/ijw/reader.ts';
import { validateFile } from '../../src/ijw/validate.ts';
import { validateXsd } from '../../src/ijw/xsd.ts';
import { checkXsd } from '../../src/ijw/xsd-stream.ts';
import { writeMessage } from '../../src/ijw/writer.ts';
import { declaration } from './helpers.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'ijw-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NS = 'http://www.istandaarden.nl/ijw/3_2/jw323/schema';
const valid = writeMessage('JW323', declaration());

async function errorOf(run: () => Promise<unknown>): Promise<IjwReadError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof IjwReadError) return e;
    throw e;
  }
  throw new Error('geen fout');
}

/**
 * The reader's refusal; and the generated XSD checker refuses the same input in the same words. A stream can be read
 * once: pass `again` to make it anew for the checker.
 */
async function readError(
  source: Parameters<typeof readMessage>[0],
  opts: Parameters<typeof readMessage>[1] = {},
  again?: () => Parameters<typeof readMessage>[0],
): Promise<IjwReadError> {
  const e = await errorOf(async () => {
    for await (const _ of readMessage(source, opts)) {
      /* drain */
    }
  });
  const replayable = typeof source === 'string' || source instanceof Uint8Array || (typeof source === 'object' && 'xml' in source);
  if (replayable || again) {
    const x = await errorOf(() => checkXsd(again ? again() : source, opts));
    expect([x.code, x.message]).toEqual([e.code, e.message]);
  }
  return e;
}

describe('malformed and foreign files', () => {
  it('malformed XML: code XML, the line, in Dutch', async () => {
    const xml = valid.replace('</jw323:ProductCode>', '</jw323:ProductCod>');
    const e = await readError({ xml });
    expect(e.code).toBe('XML');
    expect(e.message).toMatch(/^Geen geldige XML: .*\(regel \d+, kolom \d+\)$/);
    expect(e.line).toBe(xml.slice(0, xml.indexOf('</jw323:ProductCod>')).split('\n').length);
  });

  it('a truncated file, an empty file, text that is no XML, two root elements', async () => {
    expect((await readError({ xml: valid.slice(0, valid.length / 2) })).code).toBe('XML');
    expect((await readError({ xml: '' })).message).toMatch(/geen XML-element/);
    expect((await readError({ xml: 'Beste gemeente, hierbij de declaratie.' })).code).toBe('XML');
    expect((await readError({ xml: valid + valid.replace(/^<\?xml[^>]*>/, '') })).code).toBe('XML');
  });

  it('a wrong namespace, another iJW version, a message type that does not exist, no namespace, no Bericht', async () => {
    const wmo = await readError({ xml: valid.replaceAll(NS, 'http://www.istandaarden.nl/iwmo/3_2/wmo323/schema') });
    expect(wmo).toMatchObject({ code: 'NAMESPACE' });
    expect(wmo.message).toContain('Onbekende namespace http://www.istandaarden.nl/iwmo/3_2/wmo323/schema');
    expect((await readError({ xml: valid.replaceAll('/ijw/3_2/', '/ijw/3_1/') })).message).toContain('Verkeerde versie');
    const jw399 = await readError({ xml: valid.replaceAll(NS, 'http://www.istandaarden.nl/ijw/3_2/jw399/schema') });
    expect(jw399).toMatchObject({ code: 'BERICHTTYPE' });
    expect(jw399.message).toContain('Onbekend berichttype JW399');
    expect((await readError({ xml: '<Bericht><Header/></Bericht>' })).code).toBe('NAMESPACE');
    expect((await readError({ xml: `<jw323:Declaratie xmlns:jw323="${NS}"/>` })).code).toBe('BERICHTTYPE');
    expect((await readError({ xml: '<x:Bericht/>' })).message).toContain("prefix 'x'");
  });

  it('not UTF-8: invalid bytes, or another encoding declared', async () => {
    const latin1 = Buffer.from(valid.replace('D2026040001', 'Dé20260401'), 'latin1');
    expect((await readError(latin1)).code).toBe('CODERING');
    expect((await readError({ xml: valid.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"') })).code).toBe('CODERING');
  });

  it('the verdict of such a file says why it cannot be read, and nothing else', async () => {
    const f = path.join(dir, 'wmo.xml');
    writeFileSync(f, valid.replaceAll(NS, 'http://www.istandaarden.nl/iwmo/3_2/wmo323/schema'));
    const v = await validateFile(f);
    expect(v).toMatchObject({ message: null, valid: false, findings: [], error: { code: 'NAMESPACE' } });
  });
});

describe('attacks', () => {
  const xxe =
    `<?xml version="1.0"?>\n<!DOCTYPE jw323:Bericht [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n` +
    valid.replace(/^<\?xml[^>]*>\n/, '').replace('DN2026041', '&xxe;');
  const laughs =
    `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]>\n` +
    valid.replace(/^<\?xml[^>]*>\n/, '').replace('DN2026041', '&lol9;');

  it('an external entity (XXE) is refused before anything is read from it', async () => {
    const e = await readError({ xml: xxe });
    expect(e.code).toBe('DOCTYPE');
    expect(e.message).toContain('DOCTYPE is niet toegestaan');
    expect(e.message).not.toContain('root:');
    await expect(validateXsd({ xml: xxe })).rejects.toMatchObject({ code: 'DOCTYPE' });
  });

  it('entity expansion (billion laughs) is refused at once', async () => {
    const t0 = performance.now();
    expect((await readError({ xml: laughs })).code).toBe('DOCTYPE');
    await expect(validateXsd({ xml: laughs })).rejects.toMatchObject({ code: 'DOCTYPE' });
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('a DOCTYPE far into a large prologue is still refused', async () => {
    const xml = `<?xml version="1.0"?>\n<!-- ${'x'.repeat(300_000)} -->\n<!DOCTYPE a [<!ENTITY e SYSTEM "http://example.org/">]>\n<a/>`;
    expect((await readError({ xml })).code).toBe('DOCTYPE');
  });

  it('an undeclared entity is malformed XML', async () => {
    expect((await readError({ xml: valid.replace('DN2026041', '&xxe;') })).code).toBe('XML');
  });

  it('a file of 1 GB is refused from its size, without reading it', async () => {
    const f = path.join(dir, 'groot.xml');
    const fd = openSync(f, 'w');
    ftruncateSync(fd, 1024 ** 3); // sparse: takes no disk space
    closeSync(fd);
    const rss = process.memoryUsage().rss;
    const t0 = performance.now();
    const v = await validateFile(f);
    expect(v.error).toMatchObject({ code: 'TE_GROOT' });
    expect(v.error!.text).toMatch(/groter dan de toegestane 256 MB/);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(50 * 1024 * 1024);
    rmSync(f);
  });

  it('a stream without a known size is stopped as soon as it passes the limit', async () => {
    let produced = 0;
    async function* endless() {
      yield Buffer.from(valid.slice(0, valid.indexOf('<jw323:Clienten>')));
      for (;;) {
        produced += 65536;
        yield Buffer.from(`<!--${'x'.repeat(65529)}-->`);
      }
    }
    const e = await readError(endless(), { maxBytes: 4 * 1024 * 1024 });
    expect(e.code).toBe('TE_GROOT');
    expect(produced).toBeLessThan(5 * 1024 * 1024);
    produced = 0;
    await expect(checkXsd(endless(), { maxBytes: 4 * 1024 * 1024 })).rejects.toMatchObject({ code: 'TE_GROOT' });
    expect(produced).toBeLessThan(5 * 1024 * 1024);
  });

  it('absurd nesting and absurdly long values are refused', async () => {
    const deep = valid.replace('<jw323:DeclaratieNummer>', `${'<jw323:X>'.repeat(100)}${'</jw323:X>'.repeat(100)}<jw323:DeclaratieNummer>`);
    expect((await readError({ xml: deep })).message).toMatch(/dieper genest/);
    const long = valid.replace('DN2026041', 'D'.repeat(100_000));
    expect((await readError({ xml: long })).code).toBe('TE_GROOT');
  });

  it('unexpected elements are skipped by the reader and reported by the XSD', async () => {
    const xml = valid.replace('<jw323:DeclaratieNummer>', '<jw323:Onbekend><jw323:Diep>x</jw323:Diep></jw323:Onbekend><jw323:DeclaratieNummer>');
    const { message } = await readFullMessage({ xml });
    expect(message).toEqual(declaration());
    const r = await validateXsd({ xml });
    expect(r.valid).toBe(false);
    expect(r.findings[0]).toMatchObject({ location: '/Bericht/Declaratie/Onbekend', message: expect.stringContaining('niet verwacht') });
    expect(await checkXsd({ xml })).toEqual(r);
  });
});

describe('the prolog', () => {
  it('a DOCTYPE after a comment that looks like a tag is still refused', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<!-- <a> en <b/> -->\n<?verwerker iets?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n${valid.replace(/^<\?xml[^>]*>\n/, '')}`;
    expect((await readError({ xml })).code).toBe('DOCTYPE');
  });

  it('a byte order mark, comments and processing instructions before the root are fine', async () => {
    const xml = `\uFEFF<?xml version="1.0" encoding="utf-8"?>\n<!-- declaratie april -->\n<?verwerker iets?>\n${valid.replace(/^<\?xml[^>]*>\n/, '')}`;
    expect((await readFullMessage(Buffer.from(xml, 'utf8'))).message).toEqual(declaration());
    expect((await readFullMessage({ xml })).message).toEqual(declaration());
  });

  it('a DOCTYPE split over two chunks of a stream is refused', async () => {
    async function* parts() {
      yield Buffer.from('<?xml version="1.0"?>\n<!DOC');
      yield Buffer.from('TYPE a [<!ENTITY e "x">]><a>&e;</a>');
    }
    expect((await readError(parts(), {}, parts)).code).toBe('DOCTYPE');
  });

  it('CDATA in a value is read as text', async () => {
    const xml = valid.replace('DN2026041', '<![CDATA[DN2026041]]>');
    expect((await readFullMessage({ xml })).message).toEqual(declaration());
  });
});

describe('memory stays bounded on hostile content', () => {
  it('megabytes of text or comment without a tag are refused as they stream in', async () => {
    const head = valid.slice(0, valid.indexOf('<jw323:Clienten>'));
    let produced = 0;
    async function* flood(start: string, piece: string) {
      yield Buffer.from(start);
      for (;;) {
        produced += piece.length;
        yield Buffer.from(piece);
      }
    }
    expect((await readError(flood(head, 'x'.repeat(65536)))).code).toBe('TE_GROOT');
    expect(produced).toBeLessThan(3 * 1024 * 1024);
    produced = 0;
    await expect(checkXsd(flood(head, 'x'.repeat(65536)))).rejects.toMatchObject({ code: 'TE_GROOT' });
    expect(produced).toBeLessThan(3 * 1024 * 1024);
    produced = 0;
    const comment = () => flood(`${head}<!--`, 'y'.repeat(65536));
    expect((await readError(comment())).code).toBe('TE_GROOT');
    expect(produced).toBeLessThan(3 * 1024 * 1024);
    produced = 0;
    await expect(checkXsd(comment())).rejects.toMatchObject({ code: 'TE_GROOT' });
    expect(produced).toBeLessThan(3 * 1024 * 1024);
  });
});
