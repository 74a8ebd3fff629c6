// `npm run web:types`: the web app's response and body types from the server's OpenAPI document, written to
// web/src/api.generated.ts (src/http/web-types.ts). Run it after changing a route's schema; a test fails when it is behind.
import { writeFileSync } from 'node:fs';
import { openDb, migrate } from '../src/db/index.ts';
import { loadConfig } from '../src/config.ts';
import { bsnKeys } from '../src/core/bsn.ts';
import { buildServer } from '../src/http/server.ts';
import { webTypesSource, type OpenApiDoc } from '../src/http/web-types.ts';

const key = 'ab'.repeat(32);
const db = await openDb({ dataDir: 'memory://' });
await migrate(db);
const server = await buildServer({ db, config: loadConfig({ dataDir: 'memory://', demo: false, bsnKey: key }), keys: bsnKeys(key) });
await server.ready();
writeFileSync(new URL('../web/src/api.generated.ts', import.meta.url), webTypesSource(server.swagger() as unknown as OpenApiDoc));
await server.close();
await db.close();
console.log('geschreven: web/src/api.generated.ts');
