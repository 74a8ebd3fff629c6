// The XML scanner under the reader (src/ijw/scan.ts) against saxes, the general XML parser it replaced (still a
// dependency, of the code generator): on random well-formed documents and on random mutations of them, cut into
// random pieces, both must accept or refuse the same inputs and, when they accept, report the same elements,
// attributes and text. Plus worked examples of what the scanner refuses.
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { IjwReadError } from '../../src/ijw/errors.ts';
import { XmlScanner } from '../../src/ijw/scan.ts';
import { utf8Decoder } from '../../src/ijw/source.ts';

type Outcome = { ok: true; events: string[] } | { ok: false };

/** Events as comparable strings; consecutive text pieces merged into one. */
function collector() {
  const events: string[] = [];
  let text = '';
  const flush = () => {
    if (text) {
      events.push(`T ${JSON.stringify(text)}`);
      text = '';
    }
  };
  return {
    events,
    text(t: string) {
      text += t;
    },
    open(name: string, attrs: [string, string][]) {
      flush();
      events.push(`< ${name} ${JSON.stringify(attrs)}`);
    },
    close(name: string) {
      flush();
      events.push(`> ${name}`);
    },
    end() {
      flush();
    },
  };
}

function byScanner(pieces: string[]): Outcome {
  const c = collector();
  const s = new XmlScanner({
    open: (name, attrs) => {
      const list: [string, string][] = [];
      for (let i = 0; attrs && i < attrs.length; i += 2) list.push([attrs[i], attrs[i + 1]]);
      c.open(name, list);
    },
    close: (name) => c.close(name),
    text: (t) => c.text(t),
  });
  try {
    for (const p of pieces) s.write(p);
    s.close();
  } catch (e) {
    if (e instanceof IjwReadError) return { ok: false };
    throw e;
  }
  c.end();
  return { ok: true, events: c.events };
}

function bySaxes(pieces: string[]): Outcome {
  const c = collector();
  const p = new SaxesParser({ xmlns: false, position: true });
  let failed = false;
  p.on('error', () => {
    failed = true;
  });
  p.on('opentag', (tag) => c.open(tag.name, Object.entries(tag.attributes as Record<string, string>)));
  p.on('closetag', (tag) => c.close(tag.name));
  p.on('text', (t) => c.text(t));
  p.on('cdata', (t) => c.text(t));
  for (const piece of pieces) {
    if (failed) break;
    p.write(piece);
  }
  if (!failed) p.close();
  if (failed) return { ok: false };
  c.end();
  // saxes reports text outside the root (whitespace) too; the scanner does not
  return { ok: true, events: c.events };
}

/** saxes' events without the whitespace outside the root element (which the scanner does not report). */
function insideRoot(o: Outcome): Outcome {
  if (!o.ok) return o;
  const out: string[] = [];
  let depth = 0;
  for (const e of o.events) {
    if (e.startsWith('<')) depth++;
    if (e.startsWith('T ') && depth === 0) continue;
    if (e.startsWith('>')) depth--;
    out.push(e);
  }
  return { ok: true, events: out };
}

// --- random documents ---------------------------------------------------------------------------------------------
const names = fc.constantFrom('Bericht', 'jw323:Client', 'Prestatie', 'a', 'b_c', 'x-y.z', 'ns:Bsn', 'Ünï', 'é1');
const textPiece = fc.oneof(
  fc.constantFrom(
    '12345',
    ' ',
    '\n  ',
    '\r\n',
    '\t',
    'D2026',
    '&amp;',
    '&lt;',
    '&gt;',
    '&quot;',
    '&apos;',
    '&#65;',
    '&#x20AC;',
    '&#x1F600;',
    ']',
    ']]',
    '>',
    'é',
    '😀',
    '"',
    "'",
  ),
  fc.string({ maxLength: 6 }).map((s) => s.replace(/[<&\]\r\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/g, 'x')),
);
const text = fc.array(textPiece, { maxLength: 4 }).map((a) => a.join(''));
const misc = fc.constantFrom('<!-- opmerking -->', '<!---->', '<?verwerker iets?>', '<![CDATA[a < b & c]]>', '<![CDATA[]]>', '<!-- a\nb -->');
const attrValue = fc.constantFrom('http://www.istandaarden.nl/ijw/3_2/jw323/schema', '', 'a&amp;b', 'x&#9;y', 'tab\there', 'regel\nregel', "it's", '&lt;&gt;');
const attrs = fc
  .uniqueArray(fc.tuple(fc.constantFrom('xmlns', 'xmlns:jw323', 'id', 'xsi:type', 'a'), attrValue, fc.constantFrom('"', "'")), {
    selector: (a) => a[0],
    maxLength: 3,
  })
  .map((list) => list.map(([n, v, q]) => ` ${n}=${q}${q === '"' ? v.replaceAll('"', '&quot;') : v.replaceAll("'", '&apos;')}${q}`).join(''));

const element: fc.Memo<string> = fc.memo((depth) =>
  fc
    .tuple(
      names,
      attrs,
      depth > 1
        ? fc.array(fc.oneof({ weight: 3, arbitrary: element(depth - 1) }, { weight: 2, arbitrary: text }, { weight: 1, arbitrary: misc }), { maxLength: 4 })
        : fc.array(text, { maxLength: 1 }),
      fc.boolean(),
      fc.constantFrom('', ' ', '\n'),
    )
    .map(([n, a, kids, empty, space]) => (empty && kids.length === 0 ? `<${n}${a}${space}/>` : `<${n}${a}>${kids.join('')}</${n}${space}>`)),
);

const document = fc
  .tuple(
    fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>\n', "<?xml version='1.0'?>"),
    fc.constantFrom('', '<!-- kop -->\n', '<?pi x?>'),
    element(4),
    fc.constantFrom('', '\n', '<!-- eind -->\n'),
  )
  .map((p) => p.join(''));

/** Cut points for the pieces the scanner and saxes are fed. */
const cut = (s: string, at: number[]) => {
  const points = [...new Set(at.map((x) => Math.floor(x * s.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(s.slice(prev, p));
    prev = p;
  }
  out.push(s.slice(prev));
  return out.filter(Boolean);
};
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 });

// mutations that break (or not) a document
const insertions = [
  '<',
  '>',
  '&',
  '/',
  ']]>',
  '--',
  '"',
  "'",
  'x',
  '\u0001',
  '&foo;',
  '&#0;',
  '&#xD800;',
  '<a>',
  '</a>',
  '<!',
  '<?',
  '<![CDATA[',
  ' ',
  '=',
  '\uD800',
  '<?xml version="1.0"?>',
  ':',
  '&#;',
  '\r',
];
const mutation = fc.oneof(
  fc.tuple(fc.constant('insert'), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...insertions)),
  fc.tuple(fc.constant('delete'), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 4 })),
  fc.tuple(fc.constant('truncate'), fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(0)),
  fc.tuple(fc.constant('duplicate'), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 12 })),
);
function mutate(s: string, [kind, where, what]: [string, number, string | number]): string {
  const i = Math.floor(where * s.length);
  if (kind === 'insert') return s.slice(0, i) + String(what) + s.slice(i);
  if (kind === 'delete') return s.slice(0, i) + s.slice(i + Number(what));
  if (kind === 'truncate') return s.slice(0, i);
  return s.slice(0, i) + s.slice(i, i + Number(what)) + s.slice(i);
}

describe('the scanner reads as saxes reads', () => {
  it('random well-formed documents, in random pieces: the same elements, attributes and text', () => {
    fc.assert(
      fc.property(document, cuts, (doc, at) => {
        const expected = insideRoot(bySaxes([doc]));
        expect(expected.ok).toBe(true); // the generator makes well-formed XML
        expect(byScanner(cut(doc, at))).toEqual(expected);
      }),
      { numRuns: 600, seed: 20261205 },
    );
  });

  it('random mutations of them, in random pieces: refused by both, or read the same by both', () => {
    fc.assert(
      fc.property(document, fc.array(mutation, { minLength: 1, maxLength: 3 }), cuts, (doc, ms, at) => {
        let broken = doc;
        for (const m of ms) broken = mutate(broken, m as [string, number, string | number]);
        fc.pre(!/<!DOCTYPE/i.test(broken)); // the reader refuses a DOCTYPE before the scanner sees it
        const expected = insideRoot(bySaxes([broken]));
        const got = byScanner(cut(broken, at));
        expect({ input: broken, ...got }).toEqual({ input: broken, ...expected });
      }),
      { numRuns: 3000, seed: 20261206 },
    );
  });
});

describe('what the scanner refuses, with the line', () => {
  const refusal = (xml: string) => {
    try {
      const s = new XmlScanner({ open() {}, close() {}, text() {} });
      s.write(xml);
      s.close();
    } catch (e) {
      if (e instanceof IjwReadError) return { code: e.code, message: e.message, line: e.line };
      throw e;
    }
    return null;
  };

  it('malformed documents', () => {
    expect(refusal('<a>\n<b>\n</a>')).toMatchObject({ code: 'XML', message: expect.stringContaining('sluittag a past niet'), line: 3 });
    expect(refusal('<a>&xxe;</a>')).toMatchObject({ message: expect.stringContaining('onbekende entiteit') });
    expect(refusal('<a>&#1;</a>')).toMatchObject({ message: expect.stringContaining('onjuiste entiteit') });
    expect(refusal('<a b="1" b="2"/>')).toMatchObject({ message: expect.stringContaining('twee keer') });
    expect(refusal('<a b="<"/>')).toMatchObject({ code: 'XML' });
    expect(refusal('<a>]]></a>')).toMatchObject({ code: 'XML' });
    expect(refusal('<a><!-- a -- b --></a>')).toMatchObject({ message: expect.stringContaining('commentaar') });
    expect(refusal('<a/><b/>')).toMatchObject({ message: expect.stringContaining('meer dan één root-element') });
    expect(refusal('<a/>tekst')).toMatchObject({ message: expect.stringContaining('buiten het root-element') });
    expect(refusal('<a>\u0001</a>')).toMatchObject({ message: expect.stringContaining('niet is toegestaan') });
    expect(refusal('<a>\uD800</a>')).toMatchObject({ message: expect.stringContaining('niet is toegestaan') });
    expect(refusal('<a>\n<b>')).toMatchObject({ message: expect.stringContaining('wordt niet afgesloten') });
    expect(refusal('<a><!DOCTYPE x></a>')).toMatchObject({ code: 'DOCTYPE' });
    expect(refusal('<a/><?xml version="1.0"?>')).toMatchObject({ code: 'XML' });
    expect(refusal('')).toMatchObject({ message: expect.stringContaining('geen XML-element') });
  });

  it('what it reads: references, CDATA, line ends, a surrogate pair cut in two', () => {
    const c = collector();
    const s = new XmlScanner({ open: (n) => c.open(n, []), close: (n) => c.close(n), text: (t) => c.text(t) });
    for (const piece of ['<a>&amp;&#x41;&#66;<![CDATA[<c>]]>\r\n\uD83D', '\uDE00</a>']) s.write(piece);
    s.close();
    c.end();
    expect(c.events).toEqual(['< a []', `T ${JSON.stringify('&AB<c>\n😀')}`, '> a']);
    expect(s.line).toBe(2);
  });
});

describe('UTF-8 in pieces (source.ts)', () => {
  it('decodes as TextDecoder does, wherever the pieces are cut, and refuses what it refuses', () => {
    const decodeAll = (bytes: Uint8Array, at: number[]) => {
      const d = utf8Decoder();
      const points = [...new Set(at.map((x) => Math.floor(x * bytes.length)))].sort((a, b) => a - b);
      let out = '';
      let prev = 0;
      try {
        for (const p of points) {
          out += d(bytes.subarray(prev, p), false);
          prev = p;
        }
        out += d(bytes.subarray(prev), true);
      } catch (e) {
        if (e instanceof IjwReadError && e.code === 'CODERING') return null;
        throw e;
      }
      return out;
    };
    const reference = (bytes: Uint8Array) => {
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        return null;
      }
    };
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        cuts,
        (s, junk, where, at) => {
          const good = Buffer.from(s, 'utf8');
          expect(decodeAll(good, at)).toBe(reference(good));
          const i = Math.floor(where * good.length);
          const bad = Buffer.concat([good.subarray(0, i), Buffer.from(junk), good.subarray(i)]);
          expect(decodeAll(bad, at)).toBe(reference(bad));
        },
      ),
      { numRuns: 1000, seed: 20261207 },
    );
  });
});
