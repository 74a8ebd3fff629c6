// The web app's types, derived from the server's own response schemas (issue 13: one source). The OpenAPI document
// that @fastify/swagger makes from every route's zod schemas is turned into one TypeScript interface per direction:
// `ApiResponses['GET /api/regions/{regionId}/dashboard']` is what that route answers, `ApiBodies['POST …']` what it
// takes. `npm run web:types` writes them to web/src/api.generated.ts; web/src/api.ts names them for the pages; a test
// fails when the file is behind the routes. Our own small JSON Schema → TypeScript printer, because the schemas use
// a handful of shapes and the usual generator needs the TypeScript compiler's JavaScript API, which TS 7 does not have.

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema | Schema[];
  prefixItems?: Schema[];
  description?: string;
};

export interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content?: Record<string, { schema?: Schema }> };
        responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (k: string) => (IDENT.test(k) ? k : JSON.stringify(k));

/** A JSON Schema (as zod and @fastify/swagger write it) as a TypeScript type, indented for `depth`. */
export function schemaToType(s: Schema | undefined, doc: OpenApiDoc, depth = 1, seen = new Set<string>()): string {
  if (!s || Object.keys(s).length === 0) return 'unknown';
  if (s.$ref) {
    const name = s.$ref.replace(/^#\/components\/schemas\//, '');
    if (seen.has(name)) return 'unknown'; // a recursive schema: none today
    return schemaToType(doc.components?.schemas?.[name], doc, depth, new Set([...seen, name]));
  }
  const inner = (x: Schema | undefined) => schemaToType(x, doc, depth, seen);
  let t: string;
  if (s.const !== undefined) t = JSON.stringify(s.const);
  else if (s.enum) t = s.enum.map((v) => JSON.stringify(v)).join(' | ');
  else if (s.anyOf || s.oneOf) t = union((s.anyOf ?? s.oneOf)!.map(inner));
  else if (s.allOf)
    t = s.allOf
      .map(inner)
      .map((x) => `(${x})`)
      .join(' & ');
  else if (Array.isArray(s.type)) t = union(s.type.map((ty) => inner({ ...s, type: ty })));
  else {
    switch (s.type) {
      case 'string':
        t = 'string';
        break;
      case 'number':
      case 'integer':
        t = 'number';
        break;
      case 'boolean':
        t = 'boolean';
        break;
      case 'null':
        t = 'null';
        break;
      case 'array':
        if (s.prefixItems) t = `[${s.prefixItems.map(inner).join(', ')}]`;
        else if (Array.isArray(s.items)) t = `[${s.items.map(inner).join(', ')}]`;
        else t = `Array<${inner(s.items)}>`;
        break;
      case 'object':
      case undefined:
        t = objectType(s, doc, depth, seen);
        break;
      default:
        t = 'unknown';
    }
  }
  return s.nullable ? union([t, 'null']) : t;
}

function union(parts: string[]): string {
  const unique = [...new Set(parts)];
  return unique.includes('unknown') ? 'unknown' : unique.join(' | ');
}

function objectType(s: Schema, doc: OpenApiDoc, depth: number, seen: Set<string>): string {
  const pad = '  '.repeat(depth);
  const required = new Set(s.required ?? []);
  const props = Object.entries(s.properties ?? {}).map(([k, v]) => `${pad}${key(k)}${required.has(k) ? '' : '?'}: ${schemaToType(v, doc, depth + 1, seen)};`);
  const extra = s.additionalProperties;
  if (extra && typeof extra === 'object' && Object.keys(extra).length) {
    const value = schemaToType(extra, doc, depth + 1, seen);
    if (!props.length) return `Record<string, ${value}>`;
    props.push(`${pad}[key: string]: ${value} | undefined;`);
  } else if (!props.length) return extra === false ? 'Record<string, never>' : 'Record<string, unknown>';
  return `{\n${props.join('\n')}\n${'  '.repeat(depth - 1)}}`;
}

const JSON_TYPES = ['application/json', 'application/problem+json'];
const jsonSchema = (content: Record<string, { schema?: Schema }> | undefined) => {
  const type = Object.keys(content ?? {}).find((t) => JSON_TYPES.includes(t) || t.endsWith('+json'));
  return type ? content![type].schema : undefined;
};

/** The generated module: the success answer and the JSON body of every route, keyed by 'METHOD /path'. */
export function webTypesSource(doc: OpenApiDoc): string {
  const responses: string[] = [];
  const bodies: string[] = [];
  for (const path of Object.keys(doc.paths).sort()) {
    for (const method of Object.keys(doc.paths[path]).sort()) {
      const op = doc.paths[path][method];
      const name = `${method.toUpperCase()} ${path}`;
      const ok = Object.keys(op.responses ?? {})
        .sort()
        .find((c) => /^2\d\d$/.test(c));
      const res = ok ? jsonSchema(op.responses![ok].content) : undefined;
      if (res) responses.push(`  ${JSON.stringify(name)}: ${schemaToType(res, doc, 2)};`);
      const body = jsonSchema(op.requestBody?.content);
      if (body) bodies.push(`  ${JSON.stringify(name)}: ${schemaToType(body, doc, 2)};`);
    }
  }
  return [
    "// Generated by `npm run web:types` from the server's OpenAPI document (src/http/web-types.ts). Do not edit:",
    "// change the route's zod schema and run it again. web/src/api.ts names these types for the pages.",
    '',
    "/** What each route answers on success, keyed by 'METHOD /path'. */",
    'export interface ApiResponses {',
    ...responses,
    '}',
    '',
    "/** The JSON body each route takes, keyed by 'METHOD /path'. */",
    'export interface ApiBodies {',
    ...bodies,
    '}',
    '',
  ].join('\n');
}
