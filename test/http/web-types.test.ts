// The web app's types come from the server's own schemas (issue 13): the generated file must match the routes, and
// the printer must say what the schemas say (optional, nullable, enums, records).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { seededServer } from '../helpers/app.ts';
import { schemaToType, webTypesSource, type OpenApiDoc } from '../../src/http/web-types.ts';

let ctx: Awaited<ReturnType<typeof seededServer>>;
beforeAll(async () => {
  ctx = await seededServer([], { demo: false });
});
afterAll(async () => {
  await ctx?.close();
});

describe("webtypen uit de schema's van de server", () => {
  it('web/src/api.generated.ts loopt gelijk met de routes (npm run web:types)', () => {
    const stored = readFileSync(new URL('../../web/src/api.generated.ts', import.meta.url), 'utf8');
    expect(webTypesSource(ctx.server.swagger() as unknown as OpenApiDoc)).toBe(stored);
  });

  it("optioneel, nullable, keuzelijsten, records en verwijzingen worden de TypeScript-typen die de pagina's lezen", () => {
    const doc: OpenApiDoc = {
      paths: {},
      components: { schemas: { Money: { type: 'object', properties: { cents: { type: 'integer' } }, required: ['cents'] } } },
    };
    const t = schemaToType(
      {
        type: 'object',
        required: ['a', 'b', 'c', 'd'],
        properties: {
          a: { anyOf: [{ type: 'string' }, { type: 'null' }] },
          b: { type: 'string', enum: ['open', 'dicht'] },
          c: { type: 'object', additionalProperties: { type: 'number' } },
          d: { type: 'array', items: { $ref: '#/components/schemas/Money' } },
          e: { type: 'boolean' },
        },
      },
      doc,
    );
    expect(t.replace(/\s+/g, ' ')).toBe('{ a: string | null; b: "open" | "dicht"; c: Record<string, number>; d: Array<{ cents: number; }>; e?: boolean; }');
  });
});
