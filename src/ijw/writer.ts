// Writers for every iJW 3.2 message: a typed message object → XML in the XSD's element order, with the
// namespaces as the standard's examples use them (prefix `ijw` for the basisschema, `jw323` etc. for the message).
// One generic writer driven by the message descriptions, so every message type is covered the same way.
// Clients can be streamed in (a JW325 answer to a 100,000-line declaration is written without holding it).
import {
  BASIS_NAMESPACE,
  messageSchema,
  type ClientMap,
  type ComplexType,
  type ElementSpec,
  type MessageMap,
  type MessageSchema,
  type MessageType,
} from './schema.ts';
import { ROOT_NAME } from './reader.ts';

export interface WriteOptions {
  /** Indentation per level (default a tab, like the standard's examples); '' or false writes everything on one line. */
  indent?: string | false;
}

const CLIENTS = Symbol('clients');
type Piece = string | typeof CLIENTS;

/** The message as an XML string. Throws when a required element is missing or a value cannot be written. */
export function writeMessage<T extends MessageType>(type: T, message: MessageMap[T], opts: WriteOptions = {}): string {
  const out: string[] = [];
  for (const p of pieces(messageSchema(type), message, opts, false)) out.push(p as string);
  return out.join('');
}

/**
 * Streams a message: the envelope (everything except the clients; its Client array is ignored) with the clients
 * from an (async) iterable, written through `write` in pieces of about 64 KiB. `write` may return a promise
 * (backpressure); it is awaited.
 */
export async function writeMessageStream<T extends MessageType>(
  type: T,
  envelope: MessageMap[T],
  clients: Iterable<ClientMap[T]> | AsyncIterable<ClientMap[T]>,
  write: (chunk: string) => void | Promise<void>,
  opts: WriteOptions = {},
): Promise<void> {
  const schema = messageSchema(type);
  if (!schema.clientPath) throw new Error(`${type} heeft geen Client-elementen om te stromen`);
  let buf: string[] = [];
  let size = 0;
  const push = async (s: string) => {
    buf.push(s);
    size += s.length;
    if (size >= 64 * 1024) {
      const chunk = buf.join('');
      buf = [];
      size = 0;
      await write(chunk);
    }
  };
  const indent = opts.indent === false ? '' : (opts.indent ?? '\t');
  const clientEl = clientSpec(schema);
  const clientType = schema.complex(clientEl.type!);
  const depth = schema.clientPath.length;
  for (const p of pieces(schema, envelope, opts, true)) {
    if (p !== CLIENTS) {
      await push(p);
      continue;
    }
    for await (const c of clients as AsyncIterable<ClientMap[T]>) {
      for (const s of element(schema, clientEl, clientType, c, depth, indent, `/${ROOT_NAME}/${schema.clientPath.join('/')}`)) await push(s as string);
    }
  }
  if (buf.length) await write(buf.join(''));
}

function clientSpec(schema: MessageSchema): ElementSpec {
  let ct = schema.root;
  let el: ElementSpec | undefined;
  for (const name of schema.clientPath!) {
    el = ct.children.find((c) => c.n === name)!;
    if (el.type) ct = schema.complex(el.type);
  }
  return el!;
}

function* pieces(schema: MessageSchema, message: any, opts: WriteOptions, streamClients: boolean): Generator<Piece> {
  const indent = opts.indent === false ? '' : (opts.indent ?? '\t');
  const m = schema.type.toLowerCase();
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<${m}:${ROOT_NAME} xmlns:ijw="${BASIS_NAMESPACE}" xmlns:${m}="${schema.namespace}">`;
  yield* children(schema, schema.root, message, 1, indent, `/${ROOT_NAME}`, streamClients ? schema.clientPath : null);
  yield `${indent ? '\n' : ''}</${m}:${ROOT_NAME}>\n`;
}

function* children(
  schema: MessageSchema,
  ct: ComplexType,
  obj: any,
  depth: number,
  indent: string,
  path: string,
  clientPath: readonly string[] | null,
): Generator<Piece> {
  if (obj === null || typeof obj !== 'object') throw new TypeError(`${path}: verwacht een object`);
  for (const el of ct.children) {
    const here = `${path}/${el.n}`;
    // the streamed Client element: its place in the envelope, filled by the caller
    if (clientPath && clientPath.length === 1 && clientPath[0] === el.n) {
      yield CLIENTS;
      continue;
    }
    const onClientPath = clientPath !== null && clientPath[0] === el.n;
    const v = obj[el.n] ?? (onClientPath ? {} : undefined); // streaming: the clients' container exists even when the envelope leaves it out
    if (v === undefined || v === null) {
      if (!el.opt) throw new TypeError(`${here}: verplicht element ontbreekt`);
      continue;
    }
    const values = el.many ? (Array.isArray(v) ? v : [v]) : [v];
    if (el.many && !el.opt && values.length === 0) throw new TypeError(`${here}: minstens één ${el.n} is verplicht`);
    const next = onClientPath ? clientPath!.slice(1) : null;
    for (const item of values) yield* element(schema, el, el.type ? schema.complex(el.type) : null, item, depth, indent, here, next);
  }
}

function* element(
  schema: MessageSchema,
  el: ElementSpec,
  ct: ComplexType | null,
  value: any,
  depth: number,
  indent: string,
  path: string,
  clientPath: readonly string[] | null = null,
): Generator<Piece> {
  const pad = indent ? '\n' + indent.repeat(depth) : '';
  const q = `${el.b ? 'ijw' : schema.type.toLowerCase()}:${el.n}`;
  if (ct) {
    yield `${pad}<${q}>`;
    yield* children(schema, ct, value, depth + 1, indent, path, clientPath);
    yield `${pad}</${q}>`;
  } else {
    yield `${pad}<${q}>${text(value, el, path)}</${q}>`;
  }
}

// XML 1.0 forbids these characters even escaped
const INVALID_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function text(value: unknown, el: ElementSpec, path: string): string {
  if (el.kind === 'integer') {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`${path}: ${String(value)} is geen geheel getal`);
    return String(value);
  }
  if (typeof value !== 'string') throw new TypeError(`${path}: verwacht tekst, kreeg ${typeof value}`);
  if (INVALID_CHARS.test(value)) throw new TypeError(`${path}: bevat een teken dat in XML niet is toegestaan`);
  return value.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;'));
}
