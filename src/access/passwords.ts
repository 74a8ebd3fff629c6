import { hash, verify } from '@node-rs/argon2';

// argon2id with the library's defaults (m=19 MiB, t=2, p=1: the OWASP minimum).
export const hashPassword = (password: string) => hash(password);
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}
/** A dummy hash so that a login for an unknown user costs as much time as for a known one. */
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hash('niet-bestaand-account'));
