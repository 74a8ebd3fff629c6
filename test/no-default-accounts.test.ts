import { describe, expect, it } from 'vitest';
import { seededServer } from './helpers/app.ts';

describe('outside demo mode', () => {
  it('has no accounts and no demo account list: nobody can log in with a default password', async () => {
    const ctx = await seededServer([], { demo: false });
    try {
      expect((await ctx.db.query(`SELECT count(*)::int AS n FROM account`))[0].n).toBe(0);
      expect((await ctx.server.inject({ method: 'GET', url: '/api/auth/demo-accounts' })).statusCode).toBe(404);
      for (const username of ['regio', 'admin', 'gemeente']) {
        const res = await ctx.server.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: username } });
        expect(res.statusCode).toBe(401);
      }
    } finally {
      await ctx.close();
    }
  });
});
