import type { Db } from '../db/index.ts';
import type { Config } from '../config.ts';
import type { BsnKeys } from '../core/bsn.ts';
import type { Account, RouteAccess } from '../access/roles.ts';

export interface AppContext {
  db: Db;
  config: Config;
  keys: BsnKeys;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    account: Account | null;
  }
  interface FastifyInstance {
    ctx: AppContext;
  }
}
