// The message descriptions at run time: which message a namespace belongs to, and per complex type the
// children in XSD order with a fast look-up by (namespace, name). Generated data lives in schema.generated.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASIS_NAMESPACE, BASIS_TYPES, MESSAGE_SPECS, MESSAGE_TYPES, type ElementSpec, type MessageType } from './schema.generated.ts';

export { BASIS_NAMESPACE, MESSAGE_SPECS, MESSAGE_TYPES, ENUMERATIONS } from './schema.generated.ts';
export type { ElementSpec, MessageType, MessageMap, ClientMap } from './schema.generated.ts';
export type * from './schema.generated.ts';

export const XSD_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'xsd');

/** A complex type ready for reading and writing: children in order and a map keyed by `namespace local`. */
export interface ComplexType {
  readonly name: string;
  readonly children: readonly ElementSpec[];
  readonly byKey: ReadonlyMap<string, ElementSpec>;
}

export interface MessageSchema {
  readonly type: MessageType;
  readonly namespace: string;
  readonly berichtCode: string;
  readonly xsdFile: string;
  /** Element names from Bericht to the Client element that the reader yields one by one; null when there is none. */
  readonly clientPath: readonly string[] | null;
  readonly root: ComplexType;
  complex(typeRef: string): ComplexType;
  /** Namespace URI of an element spec within this message. */
  nsOf(el: ElementSpec): string;
}

const cache = new Map<MessageType, MessageSchema>();

export function isMessageType(s: string): s is MessageType {
  return (MESSAGE_TYPES as readonly string[]).includes(s);
}

export function messageTypeForNamespace(uri: string): MessageType | undefined {
  return MESSAGE_TYPES.find((t) => MESSAGE_SPECS[t].namespace === uri);
}

export function messageSchema(type: MessageType): MessageSchema {
  const hit = cache.get(type);
  if (hit) return hit;
  const spec = MESSAGE_SPECS[type];
  const types = new Map<string, ComplexType>();
  const nsOf = (el: ElementSpec) => (el.b ? BASIS_NAMESPACE : spec.namespace);
  const complex = (ref: string): ComplexType => {
    let ct = types.get(ref);
    if (ct) return ct;
    const children = ref.startsWith('ijw:') ? BASIS_TYPES[ref.slice(4)] : spec.types[ref];
    if (!children) throw new Error(`${type}: onbekend type ${ref}`);
    ct = { name: ref, children, byKey: new Map(children.map((c) => [`${nsOf(c)} ${c.n}`, c])) };
    types.set(ref, ct);
    return ct;
  };
  const schema: MessageSchema = {
    type,
    namespace: spec.namespace,
    berichtCode: spec.berichtCode,
    xsdFile: path.join(XSD_DIR, spec.xsd),
    clientPath: spec.clientPath,
    root: complex('Root'),
    complex,
    nsOf,
  };
  cache.set(type, schema);
  return schema;
}
