// Demo mode only: one account per role with a random password, made at first start, printed once,
// and listed on the login page. Outside demo mode no account exists until someone creates one.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { createAccount } from './store.ts';
import type { Role } from './roles.ts';

export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  description: string;
}

const password = () => randomBytes(9).toString('base64url');

/** Creates the demo accounts if there are none; returns the list (also stored for the login page). */
export async function ensureDemoAccounts(db: Db): Promise<{ created: boolean; accounts: DemoAccount[] }> {
  const existing = await demoAccounts(db);
  if (existing) return { created: false, accounts: existing };
  // The gemeente account is Enschede (Twente); the aanbieder account is Twente's largest provider by money.
  const [enschede] = await db.query<{ code: string; name: string }>(`SELECT code, name FROM municipality WHERE code = '0153'`);
  const [provider] = await db.query<{ id: number; name: string }>(
    `SELECT p.id, p.name FROM provider p JOIN declaration_line d ON d.provider_id = p.id
     JOIN municipality m ON m.code = d.municipality_code AND m.region_id = 'twente'
     GROUP BY p.id, p.name ORDER BY sum(d.amount_cents) DESC, p.id LIMIT 1`,
  );
  const specs: (Omit<DemoAccount, 'password'> & { displayName: string; municipalityCode?: string; providerId?: number })[] = [
    { username: 'regio', role: 'regio', displayName: 'Regionaal inkoopteam', description: "Inkoop en contractmanagement, alle demoregio's" },
    { username: 'coordinator', role: 'coordinator', displayName: 'Coördinatiepunt', description: "Coördinatiepunt Wonen en Verblijf, alle demoregio's" },
  ];
  if (enschede)
    specs.push({
      username: 'gemeente',
      role: 'gemeente',
      displayName: enschede.name,
      municipalityCode: enschede.code,
      description: `Gemeente ${enschede.name} (Twente)`,
    });
  if (provider)
    specs.push({
      username: 'aanbieder',
      role: 'aanbieder',
      displayName: provider.name,
      providerId: provider.id,
      description: `${provider.name} (grootste aanbieder in Twente)`,
    });
  const accounts: DemoAccount[] = [];
  await db.transaction(async (tx) => {
    for (const s of specs) {
      const pw = password();
      await createAccount(tx, {
        username: s.username,
        displayName: s.displayName,
        password: pw,
        role: s.role,
        municipalityCode: s.municipalityCode,
        providerId: s.providerId,
        isDemo: true,
      });
      accounts.push({ username: s.username, password: pw, role: s.role, description: s.description });
    }
    await tx.query(`INSERT INTO app_meta (key, value) VALUES ('demo_accounts', $1)`, [JSON.stringify(accounts)]);
  });
  return { created: true, accounts };
}

export async function demoAccounts(db: Db): Promise<DemoAccount[] | null> {
  const rows = await db.query<{ value: DemoAccount[] }>(`SELECT value FROM app_meta WHERE key = 'demo_accounts'`);
  return rows.length ? rows[0].value : null;
}
