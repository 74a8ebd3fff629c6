// Accounts, sessions and the audit log: the only code that reads or writes these tables.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/index.ts';
import { badRequest } from '../core/errors.ts';
import type { Account, Role } from './roles.ts';
import { ROLES } from './roles.ts';
import { dummyHash, hashPassword, verifyPassword } from './passwords.ts';

export const SESSION_HOURS = 8;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const ACCOUNT_SELECT = `
  SELECT a.id, a.username, a.display_name, a.password_hash, a.role, a.region_id, a.municipality_code, a.provider_id,
         CASE
           WHEN a.role = 'gemeente' THEN ARRAY(SELECT m.region_id FROM municipality m WHERE m.code = a.municipality_code AND m.region_id IS NOT NULL)
           WHEN a.role = 'aanbieder' THEN ARRAY(SELECT DISTINCT c.region_id FROM contract c WHERE c.provider_id = a.provider_id ORDER BY 1)
           WHEN a.region_id IS NOT NULL THEN ARRAY[a.region_id]
           ELSE ARRAY(SELECT r.id FROM region r ORDER BY r.id)
         END AS region_ids
  FROM account a`;

function toAccount(r: any): Account {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    regionId: r.region_id,
    municipalityCode: r.municipality_code?.trim() ?? null,
    providerId: r.provider_id,
    regionIds: r.region_ids ?? [],
  };
}

export interface NewAccount {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  regionId?: string | null;
  municipalityCode?: string | null;
  providerId?: number | null;
  isDemo?: boolean;
}

export async function createAccount(db: Db, a: NewAccount): Promise<number> {
  if (!ROLES.includes(a.role)) throw badRequest(`Onbekende rol '${a.role}'`, 'role');
  if (!/^[a-z0-9._-]{2,64}$/i.test(a.username)) throw badRequest('Gebruikersnaam: 2–64 letters, cijfers, punt, streep', 'username');
  if (a.password.length < 12 && !a.isDemo) throw badRequest('Wachtwoord: minstens 12 tekens', 'password');
  if (a.role === 'gemeente' && !a.municipalityCode) throw badRequest('Een gemeente-account hoort bij een gemeente (CBS-code)', 'municipalityCode');
  if (a.role === 'aanbieder' && !a.providerId) throw badRequest('Een aanbieder-account hoort bij een aanbieder', 'providerId');
  const rows = await db.query<{ id: number }>(
    `INSERT INTO account (username, display_name, password_hash, role, region_id, municipality_code, provider_id, is_demo)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
    [
      a.username,
      a.displayName,
      await hashPassword(a.password),
      a.role,
      a.regionId ?? null,
      a.role === 'gemeente' ? a.municipalityCode : null,
      a.role === 'aanbieder' ? a.providerId : null,
      a.isDemo ?? false,
    ],
  );
  return rows[0].id;
}

export async function accountCount(db: Db): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM account'))[0].n;
}

/** Checks the password; returns the account or null. Costs the same time for unknown users. */
export async function authenticate(db: Db, username: string, password: string): Promise<Account | null> {
  const rows = await db.query(`${ACCOUNT_SELECT} WHERE a.username = $1`, [username]);
  if (!rows.length) {
    await verifyPassword(await dummyHash(), password);
    return null;
  }
  return (await verifyPassword(rows[0].password_hash, password)) ? toAccount(rows[0]) : null;
}

export async function createSession(db: Db, accountId: number): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
  await db.query('INSERT INTO session (token_hash, account_id, expires_at) VALUES ($1,$2,$3)', [sha256(token), accountId, expiresAt.toISOString()]);
  return { token, expiresAt };
}

/** A session ends after this many minutes without a request, even within its SESSION_HOURS. */
export const SESSION_IDLE_MINUTES = 30;

export async function sessionAccount(db: Db, token: string): Promise<Account | null> {
  const hash = sha256(token);
  // one query per request, as before the idle timeout: the account of a live session, and whether it was last seen
  // more than a minute ago (then one write keeps it alive; at most one a minute per session)
  const rows = await db.query(
    `SELECT acc.*, s.last_seen_at < now() - interval '1 minute' AS seen_long_ago
     FROM (${ACCOUNT_SELECT}) acc JOIN session s ON s.account_id = acc.id
     WHERE s.token_hash = $1 AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => $2)`,
    [hash, SESSION_IDLE_MINUTES],
  );
  if (!rows.length) return null;
  if (rows[0].seen_long_ago) await db.query(`UPDATE session SET last_seen_at = now() WHERE token_hash = $1`, [hash]);
  return toAccount(rows[0]);
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.query('DELETE FROM session WHERE token_hash = $1 OR expires_at < now()', [sha256(token)]);
}

export interface AuditEntry {
  account: Account | null;
  action: string;
  route: string;
  subject: string;
  subjectIds?: number[];
  detail?: Record<string, unknown>;
  ip?: string;
  /** who acted when there is no account: 'opdrachtregel' for the CLI (with the operating-system user in detail) */
  actor?: string;
}

export async function writeAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.query(`INSERT INTO audit_log (account_id, role, action, route, subject, subject_ids, detail, ip) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, [
    e.account?.id ?? null,
    e.account?.role ?? e.actor ?? 'publiek',
    e.action,
    e.route,
    e.subject,
    e.subjectIds ?? [],
    JSON.stringify(e.detail ?? {}),
    e.ip ?? null,
  ]);
}

export async function readAudit(db: Db, opts: { limit: number; accountId?: number }) {
  return db.query(
    `SELECT l.id, l.at, l.account_id, a.username, l.role, l.action, l.route, l.subject, l.ip,
            cardinality(l.subject_ids) AS subject_count, l.subject_ids, l.detail
     FROM audit_log l LEFT JOIN account a ON a.id = l.account_id
     WHERE ($2::int IS NULL OR l.account_id = $2)
     ORDER BY l.id DESC LIMIT $1`,
    [opts.limit, opts.accountId ?? null],
  );
}
