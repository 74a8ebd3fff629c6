// `npm run db:types`: migrate an in-memory database and write the row types of every table to src/db/schema.generated.ts.
import { writeFileSync } from 'node:fs';
import { openDb, migrate } from '../src/db/index.ts';
import { schemaTypesSource } from '../src/db/schema-types.ts';

const db = await openDb({ dataDir: 'memory://' });
await migrate(db);
const file = new URL('../src/db/schema.generated.ts', import.meta.url);
writeFileSync(file, await schemaTypesSource(db));
await db.close();
console.log(`geschreven: src/db/schema.generated.ts`);
