// XSD validation against the official iJW 3.2 schemas (src/ijw/xsd) with libxml2 compiled to WebAssembly
// (libxml2-wasm: no network, no native build, the schemas are served to libxml2 from memory).
// This is the REFERENCE: `ijw validate` and the import use the checker generated from the same XSDs (xsd-check.ts, in
// the reader's pass), and the tests compare that checker with this one (test/ijw/xsd-check.test.ts, the differential
// test). `ijw validate` can still be asked to use libxml2 (ValidateOptions.xsd).
//
// Flat memory for large files: libxml2-wasm validates a parsed document, so a 100,000-line declaration is not
// validated in one piece. The file is cut between Client elements into parts of about 1 MB; each part is
// validated as a document of its own: the text before the first Client (header and envelope) + a run of Clients
// + the closing tags. The iJW XSDs have no identity constraints (xs:key/xs:unique) and Client repeats without an
// upper bound, so the verdict is the same as for the whole file. Findings inside the run of Clients come from
// each part; findings about the envelope come only from the last part, which holds the real end of the file.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  ParseOption,
  XmlBufferInputProvider,
  XmlDocument,
  XmlParseError,
  XmlValidateError,
  XsdValidator,
  xmlRegisterInputProvider,
  type ErrorDetail,
} from 'libxml2-wasm';
import { IjwReadError } from './errors.ts';
import { xsdMessageNl } from './xsd-messages-nl.ts';
import { messageSchema, messageTypeForNamespace, XSD_DIR, type ElementSpec, type MessageType } from './schema.ts';
import { textChunks, type MessageSource, type SourceOptions } from './source.ts';
import { ROOT_NAME } from './reader.ts';

export interface XsdFinding {
  /** Line in the file (1-based). */
  line: number;
  /** XPath of the element, e.g. /Bericht/Client/AangevraagdeProducten/AangevraagdProduct[1]/ToewijzingEinddatum */
  location: string;
  /** What is wrong, in Dutch. */
  message: string;
}

export interface XsdResult {
  type: MessageType;
  valid: boolean;
  findings: XsdFinding[];
}

export interface XsdOptions extends SourceOptions {
  /** The message type when already known (else taken from the root element's namespace). */
  type?: MessageType;
  /** Size of the parts validated one at a time (characters). Default 1 MiB. */
  partChars?: number;
  /** Stop collecting after this many findings (the file stays invalid). Default 1000. */
  maxFindings?: number;
}

let providerRegistered = false;
const validators = new Map<MessageType, XsdValidator>();

function validatorFor(type: MessageType): XsdValidator {
  let v = validators.get(type);
  if (v) return v;
  if (!providerRegistered) {
    // libxml2 may only read our own schemas, from memory: never the file system or the network
    const files: Record<string, Uint8Array> = {};
    for (const f of readdirSync(XSD_DIR).filter((f) => f.endsWith('.xsd'))) files[path.join(XSD_DIR, f)] = readFileSync(path.join(XSD_DIR, f));
    xmlRegisterInputProvider(new XmlBufferInputProvider(files));
    providerRegistered = true;
  }
  const file = messageSchema(type).xsdFile;
  const doc = XmlDocument.fromBuffer(readFileSync(file), { url: file, option: ParseOption.XML_PARSE_NONET });
  try {
    v = XsdValidator.fromDoc(doc);
  } finally {
    doc.dispose();
  }
  validators.set(type, v);
  return v;
}

const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_BIG_LINES;

/** Validates a message against its XSD. Throws IjwReadError when the file is no (well-formed) iJW message at all. */
export async function validateXsd(source: MessageSource, opts: XsdOptions = {}): Promise<XsdResult> {
  const partChars = opts.partChars ?? 1024 * 1024;
  const maxFindings = opts.maxFindings ?? 1000;
  const findings: XsdFinding[] = [];
  let type: MessageType | undefined = opts.type;

  // scanner state
  let pending = ''; // unfinished markup carried to the next chunk
  let lines = 1; // line number at the start of `pending`
  const open: string[] = []; // qualified names of the open elements down to the Clients' container
  let depth = 0;
  let clientDepth = -1; // depth at which Client elements sit (from the message description)
  let clientQName = ''; // e.g. jw323:Client — set once the root's prefixes are known
  let head: string[] | null = []; // text before the first Client (null once the prefix is fixed)
  let prefix = '';
  let prefixLines = 1;
  let section: string[] = [];
  let sectionChars = 0;
  let sectionLine = 1; // original line where the current section starts
  let clientsBefore = 0; // Clients in earlier sections
  let clientsInSection = 0;

  const run = (doc: string, part: { final: boolean }) => {
    if (findings.length >= maxFindings) return;
    for (const d of validatePart(type!, doc)) {
      const mapped = mapFinding(type!, d, { prefixLines, sectionLine, clientsBefore, hasPrefix: head === null, clientDepth });
      if (!part.final && !mapped.inClients) continue; // the envelope is judged once, by the last part
      findings.push({ line: mapped.line, location: mapped.location, message: mapped.message });
      if (findings.length >= maxFindings) break;
    }
  };

  const cut = (before: string, atLine: number) => {
    // `before` is the text between the previous cut (or the start) and this Client's '<'
    if (head !== null) {
      head.push(before);
      prefix = head.join('');
      head = null;
      prefixLines = countLines(prefix);
      sectionLine = atLine;
      clientsInSection = 1;
      return;
    }
    section.push(before);
    sectionChars += before.length;
    if (sectionChars >= partChars) {
      const closing = open
        .slice(0, clientDepth)
        .reverse()
        .map((n) => `</${n}>`)
        .join('');
      run(prefix + section.join('') + closing, { final: false });
      clientsBefore += clientsInSection;
      clientsInSection = 0;
      section = [];
      sectionChars = 0;
      sectionLine = atLine;
    }
    clientsInSection++;
  };

  const append = (s: string) => {
    if (head !== null) {
      head.push(s);
      if (head.length > 64) head = [head.join('')];
      if (head.reduce((n, x) => n + x.length, 0) > 64 * partChars)
        throw new IjwReadError('TE_GROOT', 'Het bericht heeft geen Client-elementen om in delen te controleren en is te groot voor de XSD-controle');
    } else {
      section.push(s);
      sectionChars += s.length;
      if (sectionChars > 64 * partChars) throw new IjwReadError('TE_GROOT', 'Eén Client-element is te groot voor de XSD-controle');
    }
  };

  const scan = (s: string, final: boolean) => {
    let i = 0; // scan position
    let from = 0; // start of text not yet handed to append/cut
    let line = lines; // line at `from`
    const advanceLines = (to: number) => {
      line += countNewlines(s, from, to);
    };
    for (;;) {
      const lt = s.indexOf('<', i);
      if (lt < 0) {
        i = s.length;
        break;
      }
      if (!final && s.length - lt < 12) {
        i = lt;
        break;
      } // too little to classify: wait for more
      const c1 = s.charCodeAt(lt + 1);
      let end: number;
      if (c1 === 33 /* ! */) {
        if (s.startsWith('<!--', lt)) end = s.indexOf('-->', lt + 4) + 3;
        else if (s.startsWith('<![CDATA[', lt)) end = s.indexOf(']]>', lt + 9) + 3;
        else throw new IjwReadError('DOCTYPE', 'Een DOCTYPE of entiteitdeclaratie is niet toegestaan in een iJW-bericht');
        if (end < 3) {
          i = lt;
          break;
        }
        i = end;
        continue;
      }
      if (c1 === 63 /* ? */) {
        end = s.indexOf('?>', lt + 2);
        if (end < 0) {
          i = lt;
          break;
        }
        i = end + 2;
        continue;
      }
      const gt = s.indexOf('>', lt);
      if (gt < 0) {
        i = lt;
        break;
      }
      if (c1 === 47 /* / */) {
        depth--;
        i = gt + 1;
        continue;
      }
      const selfClosing = s.charCodeAt(gt - 1) === 47;
      if (depth <= clientDepth || clientDepth < 0) {
        // only the root and the levels down to the Clients need names: the closing tags of a part, the cut points
        let ne = lt + 1;
        while (ne < gt) {
          const c = s.charCodeAt(ne);
          if (c === 32 || c === 9 || c === 10 || c === 13 || c === 47) break;
          ne++;
        }
        const qname = s.slice(lt + 1, ne);
        if (depth === 0 && clientDepth < 0) {
          const t = type ?? typeFromRootTag(s.slice(lt, gt + 1), qname);
          type = t;
          const cp = messageSchema(t).clientPath;
          clientDepth = cp ? cp.length : 0;
          const colon = qname.indexOf(':');
          clientQName = cp ? (colon < 0 ? 'Client' : `${qname.slice(0, colon)}:Client`) : '';
        } else if (clientQName && depth === clientDepth && qname === clientQName) {
          advanceLines(lt);
          cut(s.slice(from, lt), line);
          from = lt;
        }
        if (!selfClosing) open[depth] = qname;
      }
      if (!selfClosing) depth++;
      i = gt + 1;
    }
    const keep = final ? s.length : i;
    advanceLines(keep);
    if (keep > from) append(s.slice(from, keep));
    pending = s.slice(keep);
    lines = line;
  };

  for await (const chunk of textChunks(source, opts)) scan(pending + chunk, false);
  scan(pending, true);
  if (!type) throw new IjwReadError('XML', 'Het bestand bevat geen XML-element');
  if (head !== null) run(head.join(''), { final: true });
  else run(prefix + section.join(''), { final: true });
  findings.sort((a, b) => a.line - b.line); // the envelope's findings come from the last part: back in file order
  return { type, valid: findings.length === 0, findings };
}

function typeFromRootTag(tag: string, qname: string): MessageType {
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const attr = new RegExp(`xmlns${prefix ? `:${prefix}` : ''}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag);
  const uri = attr ? (attr[2] ?? attr[3]) : undefined;
  const t = uri ? messageTypeForNamespace(uri) : undefined;
  if (!t)
    throw new IjwReadError('NAMESPACE', uri ? `Onbekende namespace ${uri}: dit is geen iJW 3.2-bericht` : 'Het root-element heeft geen iJW 3.2-namespace');
  return t;
}

function* validatePart(type: MessageType, text: string): Generator<ErrorDetail> {
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(Buffer.from(text, 'utf8'), { option: PARSE_OPTIONS }); // native UTF-8 encoding: much faster than fromString
  } catch (e) {
    const d = e instanceof XmlParseError ? e.details?.[0] : undefined;
    throw new IjwReadError('XML', `Geen geldige XML: ${d?.message?.trim() ?? (e as Error).message}`);
  }
  try {
    validatorFor(type).validate(doc);
  } catch (e) {
    if (!(e instanceof XmlValidateError)) throw e;
    yield* e.details;
  } finally {
    doc.dispose();
  }
}

interface PartInfo {
  prefixLines: number;
  sectionLine: number;
  clientsBefore: number;
  hasPrefix: boolean;
  clientDepth: number;
}

function mapFinding(type: MessageType, d: ErrorDetail, part: PartInfo) {
  const { location, inClients } = normaliseXPath(type, d.xpath, part);
  let line = d.line;
  if (part.hasPrefix && line >= part.prefixLines && (inClients || line > part.prefixLines)) line = part.sectionLine + (line - part.prefixLines);
  return { line, location, inClients, message: xsdMessageNl(d.message) }; // plain Dutch naming the element and the limit (xsd-messages-nl.ts)
}

/** libxml2's node path → our location: prefixes dropped, [n] on every repeating element, Client numbered in the file. */
function normaliseXPath(type: MessageType, xpath: string | undefined, part: PartInfo): { location: string; inClients: boolean } {
  if (!xpath) return { location: `/${ROOT_NAME}`, inClients: false };
  const schema = messageSchema(type);
  const segs = xpath
    .split('/')
    .filter(Boolean)
    .map((s) => {
      const m = /^(?:[^:[\]]+:)?([^[\]]+)(?:\[(\d+)\])?$/.exec(s);
      return m ? { name: m[1], index: m[2] ? Number(m[2]) : undefined } : { name: s, index: undefined };
    });
  let ct = schema.root;
  const out: string[] = [];
  let inClients = false;
  for (const [i, seg] of segs.entries()) {
    if (i === 0) {
      out.push(seg.name);
      continue;
    }
    const el: ElementSpec | undefined = ct?.children.find((c) => c.n === seg.name);
    let index = seg.index;
    if (i === part.clientDepth && part.hasPrefix) inClients = true; // a child of the Clients' container: Client or a stray sibling
    if (el?.n === 'Client' && i === part.clientDepth) index = (index ?? 1) + part.clientsBefore;
    else if (el?.many) index ??= 1;
    out.push(index !== undefined ? `${seg.name}[${index}]` : seg.name);
    ct = el?.type ? schema.complex(el.type) : (undefined as any);
  }
  return { location: '/' + out.join('/'), inClients };
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
const countLines = (s: string) => countNewlines(s, 0, s.length) + 1;
