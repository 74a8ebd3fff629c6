// The streaming reader: any iJW 3.2 message → typed objects, one Client at a time, in flat memory.
// The scanner (scan.ts) checks well-formedness; the message descriptions (schema.generated.ts) say which element is which, which
// repeat and which hold numbers. The reader is lenient about structure (missing or unexpected elements are the
// XSD check's job: unknown elements are skipped, missing ones stay undefined) and strict about what makes a file
// unsafe or unreadable: malformed XML, DOCTYPE/entities, unknown namespaces and message types, oversized input.
import { IjwReadError } from './errors.ts';
import { XmlScanner } from './scan.ts';
import {
  messageSchema,
  messageTypeForNamespace,
  type ClientMap,
  type ComplexType,
  type ElementSpec,
  type MessageMap,
  type MessageSchema,
  type MessageType,
} from './schema.ts';
import { textChunks, type MessageSource, type SourceOptions } from './source.ts';
import { advance, checkValue, compile, finding, hasContent, missing, simpleTypeKey, type CompiledType } from './xsd-check.ts';
import type { XsdFinding } from './xsd.ts';

export type { MessageSource } from './source.ts';

export interface ReadOptions extends SourceOptions {
  /** Put the clients into the message object too (small messages, round trips). Default false: clients are only yielded. */
  collectClients?: boolean;
  /** Deepest element nesting accepted (the iJW messages need 8). Default 32. */
  maxDepth?: number;
  /** Longest text value accepted in one element (characters). Default 64 KiB. */
  maxValueLength?: number;
  /**
   * Check the message against its XSD in the same pass (the generated checker, xsd-check.ts): every finding is handed
   * here as it is made. Without it the reader checks nothing the XSD says (see the top of this file).
   */
  xsd?: (f: XsdFinding) => void;
}

type HeadEvent = { [T in MessageType]: { kind: 'head'; type: T; message: MessageMap[T] } }[MessageType];
type ClientEvent = { [T in MessageType]: { kind: 'client'; type: T; client: ClientMap[T]; index: number; path: string; line: number } }[MessageType];
type EndEvent = { [T in MessageType]: { kind: 'end'; type: T; message: MessageMap[T]; clients: number } }[MessageType];

/**
 * What the reader yields, in this order: `head` once (the message up to its first Client, or all of it when it has
 * none), `client` for every Client (index from 0, path as XPath, line of the start tag), `end` once with the complete
 * message; without `collectClients` its Client array is empty.
 */
export type ReadEvent = HeadEvent | ClientEvent | EndEvent;

export const ROOT_NAME = 'Bericht';
const IJW_NS = /^http:\/\/www\.istandaarden\.nl\/ijw\/(\d+_\d+)\/(\w+)\/schema$/;

const enum Mode {
  Complex,
  Simple,
  Skip,
}
// One Frame per open element. Frames are reused (a free list in createParser): a 100,000-line declaration opens
// 1.6 million elements, and a new object for each was a good part of the garbage collector's work.
class Frame {
  mode: Mode = Mode.Skip;
  el: ElementSpec | null = null;
  ct: ComplexType | null = null;
  obj: any = null;
  client = false;
  ns: Map<string, string> | null = null; // namespace scope opened by this element (xmlns attributes), else null
  text = '';
  // the XSD check's state (only used with ReadOptions.xsd): name and index for the location, the place in the
  // sequence, whether the parent's content went wrong (the rest is not judged), whether the subtree is not judged
  name = '';
  idx = 1;
  many = false;
  line = 0;
  pos = -1;
  bad = false;
  xskip = false;
  textBad = false;
  lastChild = '';
  run = 0;
  st: CompiledType | null = null;
  set(mode: Mode, el: ElementSpec | null, ct: ComplexType | null, obj: any, client: boolean, ns: Map<string, string> | null): Frame {
    this.mode = mode;
    this.el = el;
    this.ct = ct;
    this.obj = obj;
    this.client = client;
    this.ns = ns;
    this.text = '';
    this.name = '';
    this.idx = 1;
    this.many = false;
    this.line = 0;
    this.pos = -1;
    this.bad = false;
    this.xskip = false;
    this.textBad = false;
    this.lastChild = '';
    this.run = 0;
    this.st = null;
    return this;
  }
}

/** Reads a message as events; see ReadEvent. Throws IjwReadError when the file cannot be read as an iJW message. */
export async function* readMessage(source: MessageSource, opts: ReadOptions = {}): AsyncGenerator<ReadEvent> {
  const out: ReadEvent[] = [];
  const p = createParser(opts, (e) => out.push(e));
  for await (const chunk of textChunks(source, opts)) {
    p.write(chunk);
    if (out.length) {
      for (let i = 0; i < out.length; i++) yield out[i];
      out.length = 0;
    }
  }
  p.close();
  for (const e of out) yield e;
}

/**
 * The same events as readMessage, in the batches the reader made them (the clients of one piece of the file, about
 * 64 KiB): one step of the consumer's `for await` per piece instead of one per client (a promise and a turn of the
 * microtask queue each: 5,000 of them on a 10,000-line declaration). checkMessage takes either.
 */
export async function* readMessageBatches(source: MessageSource, opts: ReadOptions = {}): AsyncGenerator<readonly ReadEvent[]> {
  let out: ReadEvent[] = [];
  const p = createParser(opts, (e) => out.push(e));
  for await (const chunk of textChunks(source, opts)) {
    p.write(chunk);
    if (out.length) {
      const batch = out;
      out = [];
      yield batch;
    }
  }
  p.close();
  if (out.length) yield out;
}

/** The whole message as one typed object (clients included). For small messages, tests and writers. */
export async function readFullMessage(source: MessageSource, opts: Omit<ReadOptions, 'collectClients'> = {}): Promise<EndEvent> {
  let end: EndEvent | undefined;
  for await (const e of readMessage(source, { ...opts, collectClients: true })) if (e.kind === 'end') end = e;
  return end!;
}

/** Only the message type, from the root element (reads as little as needed). */
export async function sniffMessageType(source: MessageSource, opts: SourceOptions = {}): Promise<MessageType> {
  for await (const e of readMessage(source, opts)) return e.type; // the first event carries the type
  throw new IjwReadError('XML', 'Het bestand bevat geen XML-element');
}

/** The push parser under readMessage, usable on its own for text that arrives in pieces. */
export function createParser(opts: ReadOptions, emit: (e: ReadEvent) => void) {
  const maxDepth = opts.maxDepth ?? 32;
  const maxValue = opts.maxValueLength ?? 64 * 1024;
  const collect = opts.collectClients ?? false;
  const stack: Frame[] = [];
  const free: Frame[] = [];
  const frame = (mode: Mode, el: ElementSpec | null, ct: ComplexType | null, obj: any, client: boolean, ns: Map<string, string> | null) =>
    (free.pop() ?? new Frame()).set(mode, el, ct, obj, client, ns);
  let scope = new Map<string, string>([['xml', 'http://www.w3.org/XML/1998/namespace']]);
  const scopes: Map<string, string>[] = [];
  let schema: MessageSchema | null = null;
  let type: MessageType | null = null;
  let message: any = null;
  let rootSeen = false;
  let rootClosed = false;
  let headSent = false;
  let clientIndex = 0;
  let clientLine = 0;
  let clientBase = '';
  let clientDepth = -1;

  let scanner: XmlScanner;
  const pos = () => ({ line: scanner.line, column: scanner.column });
  const fail = (code: IjwReadError['code'], msg: string): never => {
    throw new IjwReadError(code, msg, pos());
  };

  const sendHead = () => {
    if (headSent) return;
    headSent = true;
    emit({ kind: 'head', type: type!, message: structuredClone(message) } as HeadEvent);
  };

  const openRoot = (name: string, uri: string | undefined, local: string) => {
    if (uri === undefined)
      fail(
        'NAMESPACE',
        `Het root-element ${name} heeft geen namespace; verwacht de namespace van een iJW 3.2-bericht, zoals http://www.istandaarden.nl/ijw/3_2/jw323/schema`,
      );
    const t = messageTypeForNamespace(uri!);
    if (!t) {
      const m = IJW_NS.exec(uri!);
      if (m && m[1] !== '3_2') fail('NAMESPACE', `Verkeerde versie: ${uri} is iJW ${m[1].replace('_', '.')}; Regiekamer leest iJW 3.2`);
      if (m && m[2] !== 'basisschema')
        fail('BERICHTTYPE', `Onbekend berichttype ${m[2].toUpperCase()}: Regiekamer leest JW301, JW302, JW305–JW308, JW315–JW320, JW323 en JW325`);
      fail('NAMESPACE', `Onbekende namespace ${uri}: dit is geen iJW 3.2-bericht`);
    }
    if (local !== ROOT_NAME) fail('BERICHTTYPE', `Het root-element heet ${local}; een iJW-bericht begint met Bericht`);
    type = t!;
    schema = messageSchema(type);
    message = {};
    clientDepth = schema.clientPath ? schema.clientPath.length : -1;
    clientBase = schema.clientPath ? '/' + [ROOT_NAME, ...schema.clientPath].join('/') : '';
  };

  // element look-ups by qualified name, per parent type; valid while the namespace scope stays the same
  // (in practice: declared once on the root), so the hot path is two map look-ups per element
  type Entry = { el: ElementSpec; ct: ComplexType | null; pos: number; st: CompiledType | null } | null;
  let lookups = new Map<ComplexType, Map<string, Entry>>();
  const resolve = (ct: ComplexType, name: string): Entry => {
    let m = lookups.get(ct);
    if (!m) {
      m = new Map();
      lookups.set(ct, m);
    }
    let e = m.get(name);
    if (e !== undefined) return e;
    const colon = name.indexOf(':');
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    const uri = scope.get(prefix);
    if (prefix && uri === undefined) fail('NAMESPACE', `Namespace-prefix '${prefix}' van element ${name} is niet gedeclareerd`);
    const el = ct.byKey.get(`${uri} ${colon < 0 ? name : name.slice(colon + 1)}`);
    e = el ? { el, ct: el.type ? schema!.complex(el.type) : null, pos: ct.children.indexOf(el), st: el.kind ? compile(simpleTypeKey(el)) : null } : null;
    m.set(name, e);
    return e;
  };

  // namespaces: xmlns attributes open a new scope for their element and its descendants (the scanner hands the
  // attributes as one flat array, and only for the few elements that have any)
  let declared: Map<string, string> | null = null;
  const xsd = opts.xsd;
  let attrs: string[] | null = null; // other attributes of the tag being read (XSD check only)
  const attributes = (list: string[]) => {
    for (let i = 0; i < list.length; i += 2) {
      const k = list[i];
      if (k === 'xmlns' || k.startsWith('xmlns:')) {
        if (!declared) declared = new Map(scope);
        declared.set(k === 'xmlns' ? '' : k.slice(6), list[i + 1]);
      } else if (xsd) {
        (attrs ??= []).push(k);
      }
    }
  };

  // --- the XSD check (ReadOptions.xsd): the content models and facets generated from the XSDs, see xsd-check.ts
  const locate = (upTo: Frame): string => {
    let s = '';
    for (const f of stack) {
      s += f.many || f.idx > 1 ? `/${f.name}[${f.idx}]` : `/${f.name}`;
      if (f === upTo) break;
    }
    return s;
  };
  const report = (f: Frame, words: string, attribute?: string) => xsd!(finding(f.line, locate(f), f.name, words, attribute));
  const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
  /** The new frame (already on the stack) against its parent's content model; its attributes. */
  const xsdOpen = (frame: Frame, parent: Frame | null, e: Entry, name: string) => {
    const colon = name.indexOf(':');
    frame.name = e ? e.el.n : colon < 0 ? name : name.slice(colon + 1);
    frame.line = scanner.line;
    if (e) frame.st = e.st;
    if (parent) {
      // numbered among siblings of the same name and namespace (libxml2's node path), compared by qualified name
      if (parent.lastChild === name) frame.idx = ++parent.run;
      else {
        parent.lastChild = name;
        parent.run = 1;
      }
      frame.many = !!e?.el.many || frame.client; // a Client is always numbered, also where only one may come
      if (parent.xskip || parent.bad) frame.xskip = true;
      else if (parent.mode === Mode.Simple) {
        report(parent, 'Element content is not allowed, because the type definition is simple.');
        parent.bad = true;
        frame.xskip = true;
      } else if (parent.mode === Mode.Complex) {
        const why = advance(parent.ct!.children, parent, e ? e.pos : -1);
        if (why) {
          report(frame, why);
          parent.bad = true;
          frame.xskip = true;
        }
      } else frame.xskip = true;
    }
    if (attrs) {
      const list = attrs;
      attrs = null;
      if (frame.xskip) return;
      for (const a of list) {
        const c = a.indexOf(':');
        const uri = c < 0 ? '' : scope.get(a.slice(0, c));
        const local = c < 0 ? a : a.slice(c + 1);
        if (uri === XSI && (local === 'schemaLocation' || local === 'noNamespaceSchemaLocation')) continue;
        const shown = c < 0 ? a : `{${uri}}${local}`;
        report(frame, `The attribute '${shown}' is not allowed.`, shown);
      }
    }
  };

  // apart from onOpen, which V8 optimises: what is done once stays out of its compilation
  const rootFrame = (name: string, opened: Map<string, string> | null) => {
    const colon = name.indexOf(':');
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    const uri = scope.get(prefix) || undefined;
    if (prefix && uri === undefined) fail('NAMESPACE', `Namespace-prefix '${prefix}' van element ${name} is niet gedeclareerd`);
    if (rootClosed) fail('XML', 'Geen geldige XML: meer dan één root-element');
    rootSeen = true;
    openRoot(name, uri, colon < 0 ? name : name.slice(colon + 1));
    const root = frame(Mode.Complex, null, schema!.root, message, false, opened);
    stack.push(root);
    scanner.keepBlank = false;
    if (xsd) xsdOpen(root, null, null, name);
  };

  const onOpen = (name: string, list: string[] | null) => {
    if (list) attributes(list);
    const opened = declared;
    if (opened) {
      declared = null;
      scopes.push(scope);
      scope = opened;
      lookups = new Map();
    }

    if (!rootSeen) {
      rootFrame(name, opened);
      return;
    }
    const depth = stack.length;
    if (depth >= maxDepth) fail('XML', `Elementen zijn dieper genest dan ${maxDepth} niveaus`);
    const parent = stack[depth - 1];
    const e = parent.mode === Mode.Complex ? resolve(parent.ct!, name) : null;
    let f: Frame;
    if (e === null) {
      f = frame(Mode.Skip, null, null, null, false, opened);
    } else if (e.ct) {
      const el = e.el;
      const isClient = clientDepth === depth && el.n === 'Client';
      if (isClient) {
        sendHead();
        clientLine = scanner.line;
      }
      f = frame(Mode.Complex, el, e.ct, {}, isClient, opened);
      // attach on open, not on close: the head event (at the first Client) then already holds the open envelope
      // (Declaratie with its period before its Clienten); a Client is attached by the close handler, if at all
      if (!isClient) attach(parent.obj, el, f.obj);
    } else {
      f = frame(Mode.Simple, e.el, null, null, false, opened);
    }
    stack.push(f);
    scanner.keepBlank = f.mode === Mode.Simple; // whitespace matters only in a value
    if (xsd) xsdOpen(f, parent, e, name);
  };

  const onText = (t: string) => {
    const top = stack[stack.length - 1];
    if (!top) return;
    if (top.mode === Mode.Simple) {
      if (top.text.length + t.length > maxValue) fail('TE_GROOT', `De waarde van element ${top.el!.n} is langer dan ${maxValue} tekens`);
      top.text += t;
    } else if (xsd && top.mode === Mode.Complex && !top.xskip && !top.bad && !top.textBad && hasContent(t)) {
      top.textBad = true;
      report(top, "Character content other than whitespace is not allowed because the content type is 'element-only'.");
    }
  };

  const onClose = () => {
    if (xsd) {
      const f = stack[stack.length - 1];
      if (f && !f.xskip) {
        if (f.mode === Mode.Simple) {
          const problems = checkValue(f.st!, f.bad ? '' : f.text); // with element content libxml2 judges an empty value
          if (problems) for (const w of problems) report(f, w);
        } else if (f.mode === Mode.Complex && !f.bad) {
          const m = missing(f.ct!.children, f);
          if (m) report(f, m);
        }
      }
    }
    const top = stack.pop()!;
    free.push(top); // reused by the next open tag; nothing below opens one, so its fields can still be read here
    if (top.ns) {
      scope = scopes.pop()!;
      lookups = new Map();
    }
    if (stack.length === 0) {
      rootClosed = true;
      return;
    }
    scanner.keepBlank = stack[stack.length - 1].mode === Mode.Simple;
    if (top.mode === Mode.Skip) return;
    const el = top.el!;
    const parentObj = stack[stack.length - 1].obj;
    if (top.mode === Mode.Simple) {
      attach(parentObj, el, convert(top.text, el.kind!));
      return;
    }
    const value = top.obj;
    if (top.client) {
      // repeating Clients (JW323, JW325) stay an array, empty unless collected; a single Client (JW301 …) is set when collected
      if (el.many) {
        const arr = (parentObj[el.n] ??= []) as unknown[];
        if (collect) arr.push(value);
      } else if (collect) {
        parentObj[el.n] = value;
      }
      emit({ kind: 'client', type: type!, client: value, index: clientIndex, path: `${clientBase}[${clientIndex + 1}]`, line: clientLine } as ClientEvent);
      clientIndex++;
    }
  };

  scanner = new XmlScanner({ open: onOpen, close: onClose, text: onText }, { maxPending: Math.max(4 * 1024 * 1024, maxValue * 4) });

  // The prolog (everything before the root element) is held back and checked before the scanner reads it: an XML
  // declaration with another encoding than UTF-8, and any DOCTYPE (external entities, entity expansion) are
  // refused. Comments and processing instructions may come before the root; anything else is left to the scanner.
  let prolog: string | null = '';
  let textRun = 0;
  const maxRun = Math.max(1024 * 1024, maxValue * 2);
  /** true: the prolog is fine and complete; false: more text needed. Throws for what is refused. */
  const checkProlog = (final: boolean): boolean => {
    const p = prolog!;
    let i = 0;
    for (;;) {
      while (i < p.length && (p.charCodeAt(i) === 32 || p.charCodeAt(i) === 9 || p.charCodeAt(i) === 10 || p.charCodeAt(i) === 13)) i++;
      if (i >= p.length) return final;
      if (p.length - i < 9 && !final && '<!DOCTYPE'.startsWith(p.slice(i))) return false; // could become <!DOCTYPE or <!--
      if (p.startsWith('<?', i)) {
        const end = p.indexOf('?>', i);
        if (end < 0) return final;
        const decl = /^<\?xml\s[^?]*?encoding\s*=\s*["']([^"']*)["']/.exec(p.slice(i, end));
        if (decl && !/^utf-?8$/i.test(decl[1])) throw new IjwReadError('CODERING', `Codering ${decl[1]} wordt niet ondersteund; iJW-berichten zijn UTF-8`);
        i = end + 2;
      } else if (p.startsWith('<!--', i)) {
        const end = p.indexOf('-->', i + 4);
        if (end < 0) return final;
        i = end + 3;
      } else if (p.startsWith('<!', i)) {
        throw new IjwReadError('DOCTYPE', 'Een DOCTYPE is niet toegestaan in een iJW-bericht (geweigerd vanwege externe entiteiten en entity-expansie)');
      } else {
        return true; // the root element (or text that the scanner will refuse)
      }
    }
  };

  return {
    write(chunk: string) {
      if (prolog !== null) {
        prolog += chunk;
        if (!checkProlog(false)) {
          if (prolog.length > 1024 * 1024) throw new IjwReadError('XML', 'Geen geldige XML: geen root-element in de eerste megabyte');
          return;
        }
        chunk = prolog.slice(0); // flat, not a concatenation
        prolog = null;
      }
      // a run of text without markup (or an unfinished comment): refuse absurd ones before they fill the memory
      const lt = chunk.lastIndexOf('<');
      textRun = lt < 0 ? textRun + chunk.length : chunk.length - lt;
      if (textRun > maxRun) fail('TE_GROOT', `Meer dan ${Math.round(maxRun / 1024)} kB tekst zonder één XML-tag; dit is geen iJW-bericht`);
      scanner.write(chunk);
    },
    close() {
      if (prolog !== null) {
        checkProlog(true);
        const rest = prolog;
        prolog = null;
        scanner.write(rest);
      }
      scanner.close();
      if (!rootSeen) throw new IjwReadError('XML', 'Het bestand bevat geen XML-element');
      sendHead();
      emit({ kind: 'end', type: type!, message, clients: clientIndex } as EndEvent);
    },
    get line() {
      return scanner.line;
    },
  };
}

function attach(parent: any, el: ElementSpec, value: unknown) {
  if (el.many) ((parent[el.n] ??= []) as unknown[]).push(value);
  else parent[el.n] = value;
}

/** A text value as the XSD type says: integers as numbers (NaN when not an integer), dates and times trimmed. */
function convert(text: string, kind: NonNullable<ElementSpec['kind']>): string | number {
  if (kind === 'integer') {
    const t = text.trim();
    return /^[+-]?\d{1,15}$/.test(t) ? Number(t) : Number.NaN;
  }
  if (kind === 'date' || kind === 'time') return text.trim();
  return text;
}
