// Configuration from the environment, read once. Documented in README.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export interface Config {
  databaseUrl?: string;
  dataDir: string;
  port: number;
  host: string;
  demo: boolean;
  bsnKey: string;
  secureCookies: boolean;
  /** Proxies whose X-Forwarded-For/-Proto/-Host are believed (addresses or CIDRs); none by default, so a client
   *  cannot choose its own address for the login limit or the audit log. */
  trustProxy: string[];
  /** pino log level for `serve`: fatal, error, warn, info (default), debug, trace or silent */
  logLevel: string;
  /** `serve` computes the regions' first figures in the background after it starts (src/warm.ts); REGIEKAMER_WARM=0 turns it off */
  warm: boolean;
}

export function loadConfig(overrides: Partial<Config> = {}): Config {
  const env = process.env;
  const dataDir = overrides.dataDir ?? env.REGIEKAMER_DATA ?? './data';
  const demo = overrides.demo ?? env.REGIEKAMER_DEMO === '1';
  const bsnKey = overrides.bsnKey ?? env.REGIEKAMER_BSN_KEY ?? (demo ? demoBsnKey(dataDir) : undefined);
  if (!bsnKey) {
    throw new Error(
      'REGIEKAMER_BSN_KEY ontbreekt: zet een sleutel van 32 bytes (64 hex-tekens), bv. `openssl rand -hex 32`. Alleen de demomodus maakt er zelf een.',
    );
  }
  return {
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || undefined),
    dataDir,
    port: overrides.port ?? Number(env.PORT ?? 8080),
    host: overrides.host ?? env.HOST ?? '0.0.0.0',
    demo,
    bsnKey,
    secureCookies: overrides.secureCookies ?? env.REGIEKAMER_INSECURE_COOKIES !== '1',
    trustProxy:
      overrides.trustProxy ??
      (env.REGIEKAMER_TRUST_PROXY ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    logLevel: overrides.logLevel ?? env.REGIEKAMER_LOG_LEVEL ?? 'info',
    warm: overrides.warm ?? env.REGIEKAMER_WARM !== '0',
  };
}

// node:crypto is loaded when a key is made, not at every command's start (about 9 ms)
const randomHex = (bytes: number): string => (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).randomBytes(bytes).toString('hex');

/** Demo mode only: a key kept beside the embedded database, made on first start. */
function demoBsnKey(dataDir: string): string {
  if (dataDir === 'memory://') return randomHex(32);
  const file = path.join(dataDir, 'demo-bsn.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomHex(32);
  writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}
