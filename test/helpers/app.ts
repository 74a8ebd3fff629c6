// A real server over a real, seeded database (PGlite or TEST_DATABASE_URL), driven with inject().
import { testDb } from './db.ts';
import { loadConfig } from '../../src/config.ts';
import { bsnKeys } from '../../src/core/bsn.ts';
import { buildServer } from '../../src/http/server.ts';
import { seededDb, TEST_KEY } from './seed-cache.ts';
import { ensureDemoAccounts, type DemoAccount } from '../../src/access/demo.ts';
import type { Db } from '../../src/db/index.ts';

export { TEST_KEY };

/** `opts.dataDir`: the seeded database in that directory on disk (PGlite), as `serve` keeps it; default in memory. */
export async function seededServer(regions: string[], opts: { demo?: boolean; dataDir?: string } = {}) {
  const db = regions.length ? await seededDb(regions, TEST_KEY, { dataDir: opts.dataDir }) : await testDb(); // seeded once, copied per file
  const config = loadConfig({ dataDir: 'memory://', demo: opts.demo ?? true, bsnKey: TEST_KEY, secureCookies: true });
  const keys = bsnKeys(TEST_KEY);
  const accounts = opts.demo === false ? [] : (await ensureDemoAccounts(db)).accounts;
  const server = await buildServer({ db, config, keys });
  await server.ready();
  return {
    db,
    server,
    accounts,
    keys,
    close: async () => {
      await server.close();
      await db.close();
    },
  };
}

export async function login(server: Awaited<ReturnType<typeof seededServer>>['server'], username: string, password: string): Promise<string> {
  const res = await server.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'rk_session');
  if (!cookie) throw new Error('no session cookie');
  return `rk_session=${cookie.value}`;
}

export const demoPassword = (accounts: DemoAccount[], username: string) => accounts.find((a) => a.username === username)!.password;
export type { Db };
