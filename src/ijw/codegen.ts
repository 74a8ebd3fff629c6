// Generates src/ijw/schema.generated.ts from the official XSDs in src/ijw/xsd: a compact description of every
// message (element order, occurrence, simple types, namespaces) that drives the reader and the writers, and
// TypeScript interfaces for the typed message objects. Run: `npx tsx src/ijw/codegen.ts` (a test checks that
// the committed file is up to date).
//
// The iJW 3.2 XSDs use a small subset of XML Schema: named complex types holding one xs:sequence of
// xs:element (minOccurs 0/1, maxOccurs 1/unbounded), named or inline simple types restricting xs:string,
// xs:integer, xs:date or xs:time. Anything else makes this generator stop, so a new release cannot slip
// through half understood.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';

const XS = 'http://www.w3.org/2001/XMLSchema';
const here = path.dirname(fileURLToPath(import.meta.url));
const xsdDir = path.join(here, 'xsd');

interface XNode {
  local: string;
  attrs: Record<string, string>;
  children: XNode[];
  ns: Record<string, string>;
}

function parseXsd(file: string): XNode {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XNode[] = [];
  let root: XNode | undefined;
  parser.on('opentag', (t) => {
    // appinfo holds iStandaarden metadata in their own namespace: kept apart, never read as schema
    if (t.uri !== XS && !stack.some((n) => n.local === 'annotation')) throw new Error(`${file}: element buiten XML Schema: ${t.name}`);
    const attrs: Record<string, string> = {};
    for (const [k, a] of Object.entries(t.attributes)) if (!k.startsWith('xmlns')) attrs[k] = (a as { value: string }).value;
    const node: XNode = { local: t.uri === XS ? t.local : `{${t.uri}}${t.local}`, attrs, children: [], ns: { ...(stack.at(-1)?.ns ?? {}), ...t.ns } };
    if (stack.length) stack.at(-1)!.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(readFileSync(file, 'utf8')).close();
  return root!;
}

type Kind = 'string' | 'integer' | 'date' | 'time';
interface El {
  n: string;
  ns: 'm' | 'b';
  min: 0 | 1;
  max: 1 | 'n';
  kind?: Kind;
  ldt?: string;
  type?: string;
  values?: string[];
  st?: string;
}

/** The facets of one simple type, for the generated XSD checker (xsd-check.ts). */
interface Facets {
  name: string | null;
  base: Kind;
  parent?: string;
  values?: string[];
  patterns?: string[];
  minLength?: number;
  maxLength?: number;
  minInclusive?: number;
  maxInclusive?: number;
}
/** Every simple type by key: LDT_… for the basisschema's named types, `JW323.Header.BerichtCode` for an inline one. */
const simpleTypes = new Map<string, Facets>();
const FACETS = new Set(['annotation', 'enumeration', 'pattern', 'minLength', 'maxLength', 'minInclusive', 'maxInclusive']);
function facetsOf(r: XNode, name: string | null, base: Kind, parent?: string): Facets {
  const f: Facets = { name, base, ...(parent ? { parent } : {}) };
  for (const c of r.children) {
    if (!FACETS.has(c.local)) throw new Error(`facet ${c.local} wordt niet ondersteund (${name ?? 'lokaal type'})`);
    const v = c.attrs.value;
    if (c.local === 'enumeration') (f.values ??= []).push(v);
    else if (c.local === 'pattern') (f.patterns ??= []).push(v);
    else if (c.local !== 'annotation') f[c.local as 'minLength'] = Number(v);
  }
  return f;
}

const BASE_KIND: Record<string, Kind> = { 'xs:string': 'string', 'xs:integer': 'integer', 'xs:date': 'date', 'xs:time': 'time' };

// --- basisschema: simple types (LDT_*) and complex types (CDT_*)
const basis = parseXsd(path.join(xsdDir, 'basisschema.xsd'));
const BASIS_NS = basis.attrs.targetNamespace;
const simple = new Map<string, { kind: Kind; values?: string[] }>();
const strip = (qname: string) => qname.replace(/^[^:]+:/, '');

function restrictionOf(st: XNode): { base: string; values?: string[] } {
  const allowed = new Set(['annotation', 'restriction']);
  for (const c of st.children) if (!allowed.has(c.local)) throw new Error(`simpleType met ${c.local} wordt niet ondersteund`);
  const r = st.children.find((c) => c.local === 'restriction');
  if (!r) throw new Error('simpleType zonder restriction');
  const enums = r.children.filter((c) => c.local === 'enumeration').map((c) => c.attrs.value);
  return { base: r.attrs.base, values: enums.length ? enums : undefined };
}

for (const st of basis.children.filter((c) => c.local === 'simpleType')) {
  const { base, values } = restrictionOf(st);
  const kind = BASE_KIND[base];
  if (!kind) throw new Error(`basisschema ${st.attrs.name}: basis ${base} wordt niet ondersteund`);
  simple.set(st.attrs.name, { kind, values });
  simpleTypes.set(st.attrs.name, facetsOf(st.children.find((c) => c.local === 'restriction')!, st.attrs.name, kind));
}

function elementsOf(ct: XNode, owner: 'm' | 'b', where: string): El[] {
  const allowed = new Set(['annotation', 'sequence']);
  for (const c of ct.children) if (!allowed.has(c.local)) throw new Error(`${where}: complexType met ${c.local} wordt niet ondersteund`);
  const seq = ct.children.find((c) => c.local === 'sequence');
  if (!seq) return [];
  return seq.children
    .filter((c) => c.local !== 'annotation')
    .map((e) => {
      if (e.local !== 'element') throw new Error(`${where}: ${e.local} in sequence wordt niet ondersteund`);
      const min = (e.attrs.minOccurs ?? '1') === '0' ? 0 : 1;
      const maxRaw = e.attrs.maxOccurs ?? '1';
      if (maxRaw !== '1' && maxRaw !== 'unbounded') throw new Error(`${where}/${e.attrs.name}: maxOccurs ${maxRaw}`);
      if ((e.attrs.minOccurs ?? '1') !== '0' && (e.attrs.minOccurs ?? '1') !== '1') throw new Error(`${where}/${e.attrs.name}: minOccurs ${e.attrs.minOccurs}`);
      const el: El = { n: e.attrs.name, ns: owner, min, max: maxRaw === 'unbounded' ? 'n' : 1 };
      let typeName = e.attrs.type;
      const inline = e.children.find((c) => c.local === 'simpleType');
      if (inline) typeName = restrictionOf(inline).base;
      const inlineRestriction = inline?.children.find((c) => c.local === 'restriction');
      if (e.children.some((c) => c.local === 'complexType')) throw new Error(`${where}/${el.n}: anonieme complexType`);
      if (!typeName) throw new Error(`${where}/${el.n}: geen type`);
      const prefix = typeName.includes(':') ? typeName.split(':')[0] : '';
      const nsUri = prefix ? (e.ns[prefix] ?? ct.ns[prefix]) : undefined;
      const local = strip(typeName);
      if (nsUri === XS) {
        const k = BASE_KIND[`xs:${local}`];
        if (!k) throw new Error(`${where}/${el.n}: ${typeName}`);
        el.kind = k;
      } else if (nsUri === BASIS_NS && simple.has(local)) {
        el.kind = simple.get(local)!.kind;
        el.ldt = local;
        el.values = simple.get(local)!.values;
      } else if (nsUri === BASIS_NS) {
        el.type = `ijw:${local}`;
      } else {
        el.type = local;
      }
      if (el.kind) {
        // the simple type the XSD checker applies: the named one, or the inline restriction (on top of its base)
        if (inlineRestriction) {
          const key = `${where.replace(/^jw(\d{3})\.xsd /, 'JW$1.')}.${el.n}`;
          simpleTypes.set(key, facetsOf(inlineRestriction, null, el.kind, el.ldt));
          el.st = key;
        } else {
          el.st = el.ldt ?? `xs:${el.kind}`;
        }
      }
      return el;
    });
}

const basisTypes = new Map<string, El[]>();
for (const ct of basis.children.filter((c) => c.local === 'complexType')) basisTypes.set(ct.attrs.name, elementsOf(ct, 'b', ct.attrs.name));

// --- messages
interface Msg {
  type: string;
  ns: string;
  file: string;
  code: string;
  types: Map<string, El[]>;
  clientPath: string[] | null;
}
const msgs: Msg[] = [];
for (const file of readdirSync(xsdDir)
  .filter((f) => /^jw\d{3}\.xsd$/.test(f))
  .sort()) {
  const x = parseXsd(path.join(xsdDir, file));
  const type = file.slice(0, 5).toUpperCase();
  const types = new Map<string, El[]>();
  for (const ct of x.children.filter((c) => c.local === 'complexType')) types.set(ct.attrs.name, elementsOf(ct, 'm', `${file} ${ct.attrs.name}`));
  const rootEl = x.children.find((c) => c.local === 'element');
  if (rootEl?.attrs.name !== 'Bericht' || strip(rootEl.attrs.type) !== 'Root') throw new Error(`${file}: root is geen Bericht/Root`);
  const header = types.get('Header')!.find((e) => e.n === 'BerichtCode')!;
  const codeNode = findElement(x, 'Header', 'BerichtCode');
  const pattern = codeNode?.children
    .find((c) => c.local === 'simpleType')
    ?.children.find((c) => c.local === 'restriction')
    ?.children.find((c) => c.local === 'pattern');
  if (!header || !pattern) throw new Error(`${file}: geen BerichtCode`);
  // the path from the root to the repeating unit we stream: Client
  const clientPath = findPath(types, 'Root', 'Client');
  msgs.push({ type, ns: x.attrs.targetNamespace, file, code: pattern.attrs.value, types, clientPath });
}

function findElement(x: XNode, typeName: string, el: string): XNode | undefined {
  const ct = x.children.find((c) => c.local === 'complexType' && c.attrs.name === typeName);
  return ct?.children.find((c) => c.local === 'sequence')?.children.find((c) => c.attrs.name === el);
}

function findPath(types: Map<string, El[]>, from: string, target: string, seen = new Set<string>()): string[] | null {
  if (seen.has(from)) return null;
  seen.add(from);
  for (const e of types.get(from) ?? []) {
    if (e.n === target) return [e.n];
    if (e.type && !e.type.startsWith('ijw:')) {
      const rest = findPath(types, e.type, target, seen);
      if (rest) return [e.n, ...rest];
    }
  }
  return null;
}

// --- XSD patterns as JavaScript regular expressions
/**
 * Patterns whose literal translation could backtrack badly on a long value, replaced by an equivalent expression:
 * `([.\s]*\S+[.\s]*)+` (LDT_Commentaar, no maxLength) matches exactly the values with at least one non-space
 * character ('.' is itself a non-space character). test/ijw/xsd-check.test.ts checks the equivalence.
 */
export const EQUIVALENT_PATTERNS: Record<string, string> = { '([.\\s]*\\S+[.\\s]*)+': '[\\s\\S]*[^ \\t\\n\\r][\\s\\S]*' };

/**
 * An XSD regular expression (XML Schema part 2, appendix F) as a JavaScript one. XSD patterns are anchored; `.` is
 * any character but \n and \r; `\s` is exactly space, tab, \n, \r (JavaScript's also takes other spaces); `\d` any
 * decimal digit. Only what the iJW XSDs use is translated: anything else stops the generator.
 */
export function xsdPatternToJs(xsd: string): string {
  if (EQUIVALENT_PATTERNS[xsd]) return `^(?:${EQUIVALENT_PATTERNS[xsd]})$`;
  const src = xsd;
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      const n = src[++i];
      if (n === 's') out += inClass ? ' \\t\\n\\r' : '[ \\t\\n\\r]';
      else if (n === 'S') {
        if (inClass) throw new Error(`patroon ${xsd}: \\S in een klasse`);
        out += '[^ \\t\\n\\r]';
      } else if (n === 'd') out += '\\p{Nd}';
      else if ('.\\-[]{}()*+?|^$'.includes(n)) out += `\\${n}`;
      else throw new Error(`patroon ${xsd}: \\${n} wordt niet ondersteund`);
    } else if (c === '[') {
      if (inClass) throw new Error(`patroon ${xsd}: geneste klasse`);
      inClass = true;
      out += c;
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
    } else if (c === ']') {
      inClass = false;
      out += c;
    } else if (c === '.' && !inClass) {
      out += '[^\\n\\r]';
    } else if (c === '^' || c === '$') {
      out += `\\${c}`; // no anchors in XSD: literal characters
    } else {
      out += c;
    }
  }
  return `^(?:${out})$`;
}
const jsRegex = (xsd: string) => `/${xsdPatternToJs(xsd).replace(/\//g, '\\/')}/u`;

// --- output
const q = (s: string) => JSON.stringify(s);
const elLiteral = (e: El) => {
  const parts = [`n: ${q(e.n)}`];
  if (e.ns === 'b') parts.push(`b: 1`);
  if (e.min === 0) parts.push('opt: 1');
  if (e.max === 'n') parts.push('many: 1');
  if (e.kind) parts.push(`kind: ${q(e.kind)}`);
  if (e.ldt) parts.push(`ldt: ${q(e.ldt)}`);
  if (e.type) parts.push(`type: ${q(e.type)}`);
  if (e.st && e.st !== e.ldt) parts.push(`st: ${q(e.st)}`);
  return `{ ${parts.join(', ')} }`;
};

const out: string[] = [];
out.push('// GENERATED by src/ijw/codegen.ts from the XSDs in src/ijw/xsd — do not edit by hand.');
out.push('/* eslint-disable */');
out.push('');
out.push(`export const BASIS_NAMESPACE = ${q(BASIS_NS)};`);
out.push('');
out.push('/** One element in a sequence: name, b = in the basisschema namespace, opt = minOccurs 0, many = maxOccurs unbounded,');
out.push(' *  kind = simple value type (with ldt the basisschema type), type = complex type (ijw:… in the basisschema),');
out.push(' *  st = the simple type the XSD checker applies when it is not ldt (an inline restriction, key in SIMPLE_TYPES). */');
out.push(
  "export interface ElementSpec { readonly n: string; readonly b?: 1; readonly opt?: 1; readonly many?: 1; readonly kind?: 'string' | 'integer' | 'date' | 'time'; readonly ldt?: string; readonly type?: string; readonly st?: string }",
);
out.push('');
out.push('export const BASIS_TYPES: Record<string, readonly ElementSpec[]> = {');
for (const [name, els] of basisTypes) out.push(`  ${q(name)}: [${els.map(elLiteral).join(', ')}],`);
out.push('};');
out.push('');
out.push('/** Enumerations of the basisschema simple types (code lists as the XSD knows them). */');
out.push('export const ENUMERATIONS: Record<string, readonly string[]> = {');
for (const [name, s] of simple) if (s.values) out.push(`  ${name}: ${JSON.stringify(s.values)},`);
out.push('};');
out.push('');
out.push('/** A simple type as the XSD checker (xsd-check.ts) applies it: the base type, then the facets of the parent type');
out.push(" *  (an inline restriction builds on a basisschema type), then its own. Patterns are the XSD's, with the equivalent");
out.push(' *  JavaScript expression (anchored: an XSD pattern matches the whole value). */');
out.push('export interface SimpleTypeSpec {');
out.push("  readonly name: string | null; readonly base: 'string' | 'integer' | 'date' | 'time'; readonly parent?: string;");
out.push('  readonly values?: ReadonlySet<string>; readonly patterns?: readonly { readonly xsd: string; readonly re: RegExp }[];');
out.push('  readonly minLength?: number; readonly maxLength?: number; readonly minInclusive?: number; readonly maxInclusive?: number;');
out.push('}');
out.push('');
out.push('export const SIMPLE_TYPES: Record<string, SimpleTypeSpec> = {');
for (const k of Object.keys(BASE_KIND)) out.push(`  ${q(k)}: { name: ${q(k)}, base: ${q(BASE_KIND[k])} },`);
for (const [key, f] of simpleTypes) {
  const parts = [`name: ${f.name ? q(f.name) : 'null'}`, `base: ${q(f.base)}`];
  if (f.parent) parts.push(`parent: ${q(f.parent)}`);
  if (f.values) {
    // the code list itself is in ENUMERATIONS (named types); an inline list is written out
    const named = !!f.name && !!simple.get(f.name)?.values;
    parts.push(`values: new Set(${named ? `ENUMERATIONS.${f.name}` : JSON.stringify(f.values)})`);
  }
  if (f.patterns) parts.push(`patterns: [${f.patterns.map((p) => `{ xsd: ${q(p)}, re: ${jsRegex(p)} }`).join(', ')}]`);
  for (const k of ['minLength', 'maxLength', 'minInclusive', 'maxInclusive'] as const) if (f[k] !== undefined) parts.push(`${k}: ${f[k]}`);
  out.push(`  ${q(key)}: { ${parts.join(', ')} },`);
}
out.push('};');
out.push('');
out.push('export const MESSAGE_SPECS = {');
for (const m of msgs) {
  out.push(`  ${m.type}: {`);
  out.push(`    namespace: ${q(m.ns)}, xsd: ${q(m.file)}, berichtCode: ${q(m.code)}, clientPath: ${m.clientPath ? JSON.stringify(m.clientPath) : 'null'},`);
  out.push('    types: {');
  for (const [name, els] of m.types) out.push(`      ${q(name)}: [${els.map(elLiteral).join(', ')}],`);
  out.push('    } as Record<string, readonly ElementSpec[]>,');
  out.push('  },');
}
out.push('} as const;');
out.push('');
out.push('export type MessageType = keyof typeof MESSAGE_SPECS;');
out.push(`export const MESSAGE_TYPES = ${JSON.stringify(msgs.map((m) => m.type))} as const satisfies readonly MessageType[];`);
out.push('');

// TypeScript interfaces
const tsName = (msg: string | null, type: string) => {
  if (type.startsWith('ijw:')) return type.slice(4).replace(/^CDT_/, '');
  return type === 'Root' ? `${msg}Bericht` : `${msg}${type}`;
};
const tsValue = (e: El, msg: string | null) => {
  let t: string;
  if (e.kind === 'integer') t = 'number';
  else if (e.kind) t = 'string';
  else t = tsName(msg, e.type!);
  return e.max === 'n' ? `${t}[]` : t;
};
const iface = (name: string, els: El[], msg: string | null) => {
  out.push(`export interface ${name} {`);
  for (const e of els) out.push(`  ${e.n}${e.min === 0 && e.max !== 'n' ? '?' : ''}: ${tsValue(e, msg)};`);
  out.push('}');
};
out.push('// --- basisschema data types');
for (const [name, els] of basisTypes) iface(tsName(null, `ijw:${name}`), els, null);
for (const m of msgs) {
  out.push('');
  out.push(`// --- ${m.type}`);
  for (const [name, els] of m.types) iface(tsName(m.type, name), els, m.type);
}
out.push('');
out.push('/** The typed message object per message type (the root element Bericht). */');
out.push('export interface MessageMap {');
for (const m of msgs) out.push(`  ${m.type}: ${m.type}Bericht;`);
out.push('}');
out.push('/** The Client (the unit the reader yields one by one) per message type; never for messages without Client. */');
out.push('export interface ClientMap {');
for (const m of msgs) out.push(`  ${m.type}: ${m.clientPath ? `${m.type}Client` : 'never'};`);
out.push('}');
out.push('');

const target = path.join(here, 'schema.generated.ts');
const text = out.join('\n');
// only as a script: importing this module (a tool that loads every file) must not write anything
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== text) {
      console.error('schema.generated.ts is verouderd: voer `npx tsx src/ijw/codegen.ts` uit');
      process.exit(1);
    }
  } else {
    writeFileSync(target, text);
    console.log(`Geschreven: ${path.relative(process.cwd(), target)} (${msgs.length} berichten)`);
  }
}
