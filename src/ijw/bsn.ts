// The only place that turns an encrypted BSN (or address) back into text: messages to and from providers need it.
import { createDecipheriv } from 'node:crypto';
import type { BsnKeys } from '../core/bsn.ts';
import type { Adres } from './schema.ts';

export function decryptBsn(keys: BsnKeys, blob: Buffer | Uint8Array): string {
  const buf = Buffer.from(blob);
  const decipher = createDecipheriv('aes-256-gcm', keys.encKey, buf.subarray(0, 12));
  decipher.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
}

/** The youth's address as stored (encryptPersonal of the iJW Adres as JSON). */
export function decryptAddress(keys: BsnKeys, blob: Buffer | Uint8Array): Adres {
  return JSON.parse(decryptBsn(keys, blob)) as Adres;
}
