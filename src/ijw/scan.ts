// The XML scanner under the streaming reader: made for what an iJW message is (elements, a few attributes for the
// namespaces, text), and strict about well-formedness. It replaced saxes, which did the same job in general and
// for it made more objects per element and spent most of its time in a per-character state machine; this one jumps
// from one '<' to the next with indexOf and looks at characters only inside tags and entity references.
//
// What it reads: start, end and empty-element tags with attributes (quoted values, the five predefined entities
// and character references decoded, whitespace normalised as the XML standard says); text, with the same
// references and with line ends normalised (\r\n and \r to \n); CDATA sections (as text); comments and processing
// instructions, skipped. What it refuses as malformed (IjwReadError 'XML', in Dutch, with line and column): a
// mismatched or missing end tag, an unknown entity, a malformed reference or name, a duplicate attribute, '<' in an
// attribute value, ']]>' in text, a character XML does not allow, '--' in a comment, text or a second element
// outside the root, an XML declaration anywhere but at the start, any other '<!' markup (a DOCTYPE inside the
// document). The reader checks the prolog before this scanner sees it (DOCTYPE, encoding), and checks namespaces,
// depth and sizes itself. Line and column count as saxes counted them: the position after the construct just read.
import { IjwReadError } from './errors.ts';

export interface ScanHandler {
  /** A start tag (also of an empty element, which is followed by `close`); attributes as [name, value, name, value…] or null. */
  open(name: string, attrs: string[] | null): void;
  close(name: string): void;
  /** Character data (CDATA included), possibly in several pieces for one run of text. Never empty. */
  text(t: string): void;
}

const NAME_START = new Uint8Array(128);
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const start = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58;
  NAME_START[c] = start ? 1 : 0;
  NAME_CHAR[c] = start || (c >= 48 && c <= 57) || c === 45 || c === 46 ? 1 : 0;
}
// the XML 1.0 (fifth edition) name characters beyond ASCII
const NAME_START_NON_ASCII =
  /^[\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}]$/u;
const NAME_CHAR_NON_ASCII =
  /^[\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\u{10000}-\u{EFFFF}]$/u;
/** Characters XML 1.0 does not allow anywhere; and halves of surrogate pairs without their other half. */
const DISALLOWED = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Characters of a new piece read together with what was held back of the previous one (see XmlScanner.write). */
const JOINT = 4096;

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;

/** Is `s` an XML name? */
export function isXmlName(s: string): boolean {
  if (s.length === 0) return false;
  let i = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const ok = c < 128 ? (i === 0 ? NAME_START[c] : NAME_CHAR[c]) === 1 : (i === 0 ? NAME_START_NON_ASCII : NAME_CHAR_NON_ASCII).test(ch);
    if (!ok) return false;
    i++;
  }
  return true;
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A push scanner: `write` text as it arrives, `close` at the end. Calls the handler as it reads. */
export class XmlScanner {
  private buf = '';
  private i = 0;
  /** Absolute offset of buf[0] in the document, and of the first character of the current line. */
  private base = 0;
  private lineStart = 0;
  line = 1;
  private names: string[] = [];
  private rootSeen = false;
  private rootClosed = false;
  private atStart = true;
  /**
   * Hand on text that is only whitespace (default true). The reader turns it off while the open element has element
   * content, where such text means nothing: then it is skipped without making a string of it.
   */
  keepBlank = true;
  private carry = '';
  /** Hash of the name read last by `name`, and the element names seen, by hash (see `intern`). */
  private hash = 0;
  private readonly interned = new Map<number, string>();
  private readonly h: ScanHandler;
  /** Longest construct (tag, comment, run of text) held while waiting for its end. */
  private readonly maxPending: number;

  constructor(handler: ScanHandler, opts: { maxPending?: number } = {}) {
    this.h = handler;
    this.maxPending = opts.maxPending ?? 4 * 1024 * 1024;
  }

  /** Column of the current position (1-based, as saxes counted: characters since the last line end). */
  get column(): number {
    return this.base + this.i - this.lineStart + 1;
  }

  private fail(msg: string, at = this.i): never {
    this.i = at;
    throw new IjwReadError('XML', `Geen geldige XML: ${msg}`, { line: this.line, column: this.column });
  }

  write(chunk: string): void {
    if (this.carry) {
      chunk = this.carry + chunk;
      this.carry = '';
    }
    if (!chunk) return;
    // a surrogate pair split over two pieces: the high half waits for the next piece
    const last = chunk.charCodeAt(chunk.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.carry = chunk.slice(-1);
      chunk = chunk.slice(0, -1);
    }
    if (DISALLOWED.test(chunk) || LONE_SURROGATE.test(chunk)) this.disallowed(chunk);
    if (this.i < this.buf.length) {
      // A construct cut in two by the piece boundary: finish it in a short joint of the held-back part and the
      // start of the new piece, then go on in the new piece itself. Not one string of the two: reading characters
      // from a concatenation (a V8 cons string) goes through the runtime at every charCodeAt, which made the
      // scanner three times slower.
      const tail = this.buf.slice(this.i);
      this.base += this.i;
      this.buf = tail + chunk.slice(0, JOINT);
      this.i = 0;
      this.scan(false);
      if (this.i >= tail.length) {
        this.base += tail.length;
        this.i -= tail.length;
        this.buf = chunk;
      } else {
        // a construct longer than the joint (a long comment or text run): rare, so the concatenation is fine
        this.base += this.i;
        this.buf = tail.slice(this.i) + chunk;
        this.i = 0;
      }
    } else {
      this.base += this.buf.length;
      this.buf = chunk;
      this.i = 0;
    }
    this.scan(false);
    if (this.buf.length - this.i > this.maxPending) {
      throw new IjwReadError(
        'TE_GROOT',
        `Meer dan ${Math.round(this.maxPending / 1024)} kB zonder dat een XML-tag, commentaar of tekst eindigt; dit is geen iJW-bericht`,
        { line: this.line },
      );
    }
  }

  close(): void {
    if (this.carry) {
      const c = this.carry;
      this.carry = '';
      this.disallowed(c);
    }
    this.scan(true);
    if (this.names.length) this.fail(`element ${this.names[this.names.length - 1]} wordt niet afgesloten`);
    if (!this.rootSeen) throw new IjwReadError('XML', 'Het bestand bevat geen XML-element');
  }

  private disallowed(chunk: string): never {
    const a = chunk.search(DISALLOWED);
    const b = chunk.search(LONE_SURROGATE);
    const at = a < 0 ? b : b < 0 ? a : Math.min(a, b);
    // position the error in the pending text: scan what comes before it first (so that an earlier error wins)
    this.write(chunk.slice(0, at));
    this.fail('teken dat in XML niet is toegestaan', this.buf.length);
  }

  /**
   * The element name in buf[from, to) as the same string every time it comes: no new string per element, and the
   * reader's look-ups by name find its hash already computed. At most 4,096 different names are kept.
   */
  private intern(from: number, to: number): string {
    const s = this.buf;
    const len = to - from;
    const slot = this.interned.get(this.hash);
    if (slot !== undefined && slot.length === len) {
      let k = 0;
      while (k < len && slot.charCodeAt(k) === s.charCodeAt(from + k)) k++;
      if (k === len) return slot;
    }
    if (slot !== undefined || this.interned.size >= 4096) return s.slice(from, to);
    // a copy of its own: a slice of a long name would keep the whole piece of text it came from alive
    const name = s.slice(from, to).split('').join('');
    this.interned.set(this.hash, name);
    return name;
  }

  /** Counts the line ends in buf[from, to). */
  private lines(from: number, to: number): void {
    const s = this.buf;
    for (let k = from; k < to; k++) {
      const c = s.charCodeAt(k);
      // \n, \r\n and a lone \r end a line
      if (c === 10 || (c === 13 && s.charCodeAt(k + 1) !== 10)) {
        this.line++;
        this.lineStart = this.base + k + 1;
      }
    }
  }

  private scan(final: boolean): void {
    const s = this.buf;
    const n = s.length;
    let i = this.i;
    while (i < n) {
      if (s.charCodeAt(i) !== 60) {
        // text up to the next '<'
        let j = s.indexOf('<', i);
        if (j < 0) {
          if (final) j = n;
          else {
            // keep back what could be the start of a reference or of ']]>'
            j = n;
            const amp = s.lastIndexOf('&');
            if (amp >= i && s.indexOf(';', amp) < 0) j = amp;
            while (j > i && (s.charCodeAt(j - 1) === 93 || s.charCodeAt(j - 1) === 13)) j--;
            if (j === i) break;
          }
        }
        this.i = i;
        this.text(i, j);
        i = j;
        this.atStart = false;
        continue;
      }
      if (i + 1 >= n) {
        if (final) this.fail('het bestand houdt midden in het bericht op');
        break;
      }
      const c1 = s.charCodeAt(i + 1);
      this.i = i;
      let next: number;
      if (c1 === 47) next = this.closeTag(i, final);
      else if (c1 === 33) next = this.bang(i, final);
      else if (c1 === 63) next = this.pi(i, final);
      else next = this.openTag(i, final);
      if (next < 0) break; // incomplete: wait for more text
      i = next;
      this.i = i;
      this.atStart = false;
    }
    this.i = i;
    if (final && i < n) this.fail('het bestand houdt midden in het bericht op');
  }

  private text(from: number, to: number): void {
    const s = this.buf;
    // the common case first: whitespace between tags, read once, without making a string unless it is wanted
    let k = from;
    let c = 0;
    while (k < to && ((c = s.charCodeAt(k)) === 32 || c === 10 || c === 9 || c === 13)) {
      if (c === 10 || (c === 13 && s.charCodeAt(k + 1) !== 10)) {
        this.line++;
        this.lineStart = this.base + k + 1;
      }
      k++;
    }
    if (k === to) {
      if (this.keepBlank && this.names.length) {
        const t = s.slice(from, to);
        this.h.text(t.indexOf('\r') >= 0 ? t.replace(/\r\n?/g, '\n') : t);
      }
      return;
    }
    if (!this.names.length) this.fail('tekst buiten het root-element', k);
    this.lines(k, to); // the line ends before k are counted
    let t = s.slice(from, to);
    if (t.indexOf('\r') >= 0) t = t.replace(/\r\n?/g, '\n');
    this.content(t, from, to);
  }

  /** Text that is not only whitespace: checked, references decoded, handed on. Line ends are counted already. */
  private content(t: string, from: number, to: number): void {
    const s = this.buf;
    if (t.indexOf(']]>') >= 0) this.fail("']]>' in tekst is niet toegestaan", from + s.slice(from, to).indexOf(']]>'));
    if (t.indexOf('&') >= 0) t = this.references(t, from);
    if (t) this.h.text(t);
  }

  /** Decodes the references in `t` (text or an attribute value starting at buf[at]). */
  private references(t: string, at: number): string {
    let out = '';
    let k = 0;
    for (;;) {
      const amp = t.indexOf('&', k);
      if (amp < 0) break;
      out += t.slice(k, amp);
      const semi = t.indexOf(';', amp + 1);
      if (semi < 0) this.fail('onjuiste entiteit', at + amp);
      const name = t.slice(amp + 1, semi);
      if (name.charCodeAt(0) === 35) {
        const hex = name.charCodeAt(1) === 120;
        const digits = name.slice(hex ? 2 : 1);
        if (!(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) this.fail('onjuiste entiteit', at + amp);
        const cp = Number.parseInt(digits, hex ? 16 : 10);
        const ok = cp === 9 || cp === 10 || cp === 13 || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
        if (!ok) this.fail('onjuiste entiteit', at + amp);
        out += String.fromCodePoint(cp);
      } else {
        const v = PREDEFINED[name];
        if (v === undefined || !Object.hasOwn(PREDEFINED, name)) {
          this.fail(
            isXmlName(name) ? 'onbekende entiteit (alleen &amp; &lt; &gt; &quot; &apos; en tekenreferenties zijn toegestaan)' : 'onjuiste entiteit',
            at + amp,
          );
        }
        out += v;
      }
      k = semi + 1;
    }
    return out + t.slice(k);
  }

  /** The end of the name that starts at buf[i] (checked), or -1 when the buffer ends first. */
  private name(i: number, final: boolean): number {
    const s = this.buf;
    const n = s.length;
    let j = i;
    let ascii = true;
    let h = 0;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c < 128) {
        if (NAME_CHAR[c] !== 1) break;
      } else ascii = false;
      h = (h * 31 + c) | 0;
      j++;
    }
    this.hash = h;
    if (j >= n && !final) return -1;
    if (j === i) this.fail('onjuiste naam', i);
    if (ascii ? NAME_START[s.charCodeAt(i)] !== 1 : !isXmlName(s.slice(i, j))) this.fail('onjuiste naam', i);
    return j;
  }

  private openTag(i: number, final: boolean): number {
    const end = this.name(i + 1, final);
    if (end < 0) return -1;
    const name = this.intern(i + 1, end);
    // the common case, `<name>`, here; attributes, whitespace, `/>` and a tag cut off by the end of the piece in
    // tagRest: this function is the hottest V8 optimises, and without the rare cases its compilation is a fraction
    if (this.buf.charCodeAt(end) !== 62) return this.tagRest(i, end, name, final);
    const j = end + 1;
    this.i = j;
    if (this.rootClosed) this.fail('meer dan één root-element', j);
    this.rootSeen = true;
    this.names.push(name);
    this.h.open(name, null);
    return j;
  }

  /** The rest of a start tag after its name (at buf[end]), when it does not end right there. */
  private tagRest(i: number, end: number, name: string, final: boolean): number {
    const s = this.buf;
    const n = s.length;
    let j = end;
    let attrs: string[] | null = null;
    let nl = false;
    for (;;) {
      const ws = j;
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      if (j >= n) {
        if (final) this.fail('het bestand houdt midden in het bericht op', n);
        return -1;
      }
      if (j > ws && !nl) for (let k = ws; k < j; k++) if (s.charCodeAt(k) === 10 || s.charCodeAt(k) === 13) nl = true;
      const c = s.charCodeAt(j);
      if (c === 62 || c === 47) {
        let close = false;
        if (c === 47) {
          if (j + 1 >= n) {
            if (final) this.fail('het bestand houdt midden in het bericht op', n);
            return -1;
          }
          if (s.charCodeAt(j + 1) !== 62) this.fail("na '/' in een tag moet '>' komen", j + 1);
          close = true;
          j++;
        }
        j++;
        if (nl) this.lines(i, j);
        this.i = j;
        if (this.rootClosed) this.fail('meer dan één root-element', j);
        this.rootSeen = true;
        this.names.push(name);
        this.h.open(name, attrs);
        if (close) {
          this.names.pop();
          if (!this.names.length) this.rootClosed = true;
          this.h.close(name);
        }
        return j;
      }
      if (j === ws) this.fail('geen spatie tussen attributen', j);
      const an = this.name(j, final);
      if (an < 0) return -1;
      const aname = s.slice(j, an);
      j = an;
      while (j < n && isSpace(s.charCodeAt(j))) {
        if (s.charCodeAt(j) === 10 || s.charCodeAt(j) === 13) nl = true;
        j++;
      }
      if (j >= n) {
        if (final) this.fail('het bestand houdt midden in het bericht op', n);
        return -1;
      }
      if (s.charCodeAt(j) !== 61) this.fail(`attribuut ${aname} zonder waarde`, j);
      j++;
      while (j < n && isSpace(s.charCodeAt(j))) {
        if (s.charCodeAt(j) === 10 || s.charCodeAt(j) === 13) nl = true;
        j++;
      }
      if (j >= n) {
        if (final) this.fail('het bestand houdt midden in het bericht op', n);
        return -1;
      }
      const q = s.charCodeAt(j);
      if (q !== 34 && q !== 39) this.fail('attribuutwaarde zonder aanhalingstekens', j);
      const vend = s.indexOf(q === 34 ? '"' : "'", j + 1);
      if (vend < 0) {
        if (final) this.fail('het bestand houdt midden in het bericht op', n);
        return -1;
      }
      let v = s.slice(j + 1, vend);
      if (v.indexOf('<') >= 0) this.fail("'<' in een attribuutwaarde", j + 1 + v.indexOf('<'));
      if (/[\t\n\r]/.test(v)) {
        nl = true;
        v = v.replace(/\r\n|[\t\n\r]/g, ' ');
      }
      if (v.indexOf('&') >= 0) v = this.references(v, j + 1);
      if (attrs) {
        for (let k = 0; k < attrs.length; k += 2) if (attrs[k] === aname) this.fail(`attribuut ${aname} komt twee keer voor`, j);
        attrs.push(aname, v);
      } else attrs = [aname, v];
      j = vend + 1;
    }
  }

  private closeTag(i: number, final: boolean): number {
    const s = this.buf;
    const gt = s.indexOf('>', i + 2);
    if (gt < 0) {
      if (final) this.fail('het bestand houdt midden in het bericht op', s.length);
      return -1;
    }
    const names = this.names;
    const open = names.length ? names[names.length - 1] : null;
    if (open !== null) {
      // the common case: `</name>` of the open element, compared in place
      const e = i + 2 + open.length;
      if (s.charCodeAt(e) === 62) {
        let k = 0;
        const len = open.length;
        while (k < len && s.charCodeAt(i + 2 + k) === open.charCodeAt(k)) k++;
        if (k === len) {
          names.pop();
          if (!names.length) this.rootClosed = true;
          this.i = e + 1;
          this.h.close(open);
          return e + 1;
        }
      }
    }
    return this.closeTagRest(i, gt, open); // apart, as tagRest: the hot function stays small
  }

  /** An end tag with whitespace before its '>', or one that does not close the open element (an error). */
  private closeTagRest(i: number, gt: number, open: string | null): number {
    const s = this.buf;
    const names = this.names;
    let j = i + 2 + (open ? open.length : 0);
    if (open === null || !s.startsWith(open, i + 2) || j > gt || !(j === gt || isSpace(s.charCodeAt(j)))) {
      let e = i + 2;
      while (e < gt && !isSpace(s.charCodeAt(e))) e++;
      const name = s.slice(i + 2, e);
      this.lines(i, gt + 1);
      if (open === null) this.fail('onverwachte sluittag', gt + 1);
      this.fail(`sluittag ${name} past niet bij het open element`, gt + 1);
    }
    while (j < gt && isSpace(s.charCodeAt(j))) j++;
    if (j !== gt) this.fail('onjuiste sluittag', j);
    if (gt > i + 2 + open!.length) this.lines(i, gt + 1);
    names.pop();
    if (!names.length) this.rootClosed = true;
    this.i = gt + 1;
    this.h.close(open!);
    return gt + 1;
  }

  /** `<!--…-->`, `<![CDATA[…]]>`, or markup that is refused. */
  private bang(i: number, final: boolean): number {
    const s = this.buf;
    const n = s.length;
    if (n - i < 9 && !final && ('<!--'.startsWith(s.slice(i, i + 4)) || '<![CDATA['.startsWith(s.slice(i)))) return -1;
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('--', i + 4);
      if (end < 0) {
        if (final) this.fail('het bestand houdt midden in het bericht op', n);
        return -1;
      }
      if (end + 2 >= n) {
        if (final) this.fail('het bestand houdt midden in het bericht op', n);
        return -1;
      }
      this.lines(i, end);
      if (s.charCodeAt(end + 2) !== 62) this.fail('onjuist commentaar', end + 2);
      return end + 3;
    }
    if (s.startsWith('<![CDATA[', i)) {
      if (!this.names.length) this.fail('CDATA buiten het root-element', i);
      const end = s.indexOf(']]>', i + 9);
      if (end < 0) {
        if (final) this.fail('het bestand houdt midden in het bericht op', n);
        return -1;
      }
      this.lines(i, end + 3);
      let t = s.slice(i + 9, end);
      if (t.indexOf('\r') >= 0) t = t.replace(/\r\n?/g, '\n');
      this.i = end + 3;
      if (t) this.h.text(t);
      return end + 3;
    }
    if (s.startsWith('<!DOCTYPE', i)) {
      throw new IjwReadError('DOCTYPE', 'Een DOCTYPE is niet toegestaan in een iJW-bericht (geweigerd vanwege externe entiteiten en entity-expansie)', {
        line: this.line,
      });
    }
    return this.fail("onjuiste markup na '<!'", i + 2);
  }

  /** A processing instruction (skipped) or the XML declaration (only at the very start). */
  private pi(i: number, final: boolean): number {
    const s = this.buf;
    const end = s.indexOf('?>', i + 2);
    if (end < 0) {
      if (final) this.fail('het bestand houdt midden in het bericht op', s.length);
      return -1;
    }
    let t = i + 2;
    while (t < end && !isSpace(s.charCodeAt(t))) t++;
    const target = s.slice(i + 2, t);
    if (!isXmlName(target)) this.fail('onjuiste verwerkingsinstructie', i + 2);
    if (t < end && !isSpace(s.charCodeAt(t))) this.fail('onjuiste verwerkingsinstructie', t);
    this.lines(i, end + 2);
    if (target.toLowerCase() === 'xml') {
      if (target !== 'xml' || !this.atStart) this.fail('de XML-declaratie mag alleen aan het begin staan', end + 2);
      const decl = s.slice(i, end + 2);
      if (
        !/^<\?xml\s+version\s*=\s*(["'])1\.[0-9]+\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(?:yes|no)\5)?\s*\?>$/.test(
          decl,
        )
      ) {
        this.fail('onjuiste XML-declaratie', end + 2);
      }
    }
    return end + 2;
  }
}
