// The only place that turns an encrypted BSN back into digits: messages to and from providers need it.
import { createDecipheriv } from 'node:crypto';
import type { BsnKeys } from '../core/bsn.ts';

export function decryptBsn(keys: BsnKeys, blob: Buffer | Uint8Array): string {
  const buf = Buffer.from(blob);
  const decipher = createDecipheriv('aes-256-gcm', keys.encKey, buf.subarray(0, 12));
  decipher.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
}
