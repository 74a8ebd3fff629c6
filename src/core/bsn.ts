// The BSN is an identifier to protect: stored encrypted (AES-256-GCM) plus a keyed hash (HMAC-SHA256)
// for look-ups. Encryption and hashing live here; decryption lives only in the message layer (src/ijw/bsn.ts).
import { createCipheriv, createHmac, randomBytes, hkdfSync } from 'node:crypto';

export interface BsnKeys {
  encKey: Buffer;
  macKey: Buffer;
}

/** Derive the encryption and look-up keys from the configured master key (32+ bytes, hex or base64). */
export function bsnKeys(master: string): BsnKeys {
  const raw = /^[0-9a-f]{64,}$/i.test(master) ? Buffer.from(master, 'hex') : Buffer.from(master, 'base64');
  if (raw.length < 32) throw new Error('REGIEKAMER_BSN_KEY moet minstens 32 bytes zijn (64 hex-tekens)');
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', raw, Buffer.alloc(0), info, 32));
  return { encKey: derive('regiekamer bsn enc'), macKey: derive('regiekamer bsn mac') };
}

/** The elfproef for a BSN (9 digits, weights 9..2 and -1). */
export function isValidBsn(bsn: string): boolean {
  if (!/^\d{9}$/.test(bsn)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(bsn[i]) * (9 - i);
  sum -= Number(bsn[8]);
  return sum % 11 === 0 && bsn !== '000000000';
}

export function encryptBsn(keys: BsnKeys, bsn: string, iv?: Buffer): Buffer {
  if (!isValidBsn(bsn)) throw new RangeError('BSN voldoet niet aan de elfproef');
  return encryptPersonal(keys, bsn, iv); // 12 + 16 + 9 bytes
}

/**
 * Other personal data stored with the BSN (a youth's address): the same AES-256-GCM, iv and tag in front. `iv`: 12
 * random bytes, by default drawn here; a bulk load passes slices of one large random draw (one draw per value cost
 * the demo seed 2.5 s for 230,000 values), never the same bytes twice.
 */
export function encryptPersonal(keys: BsnKeys, text: string, iv: Buffer = randomBytes(12)): Buffer {
  if (iv.length !== 12) throw new RangeError('iv: 12 bytes');
  const cipher = createCipheriv('aes-256-gcm', keys.encKey, iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function bsnLookupHash(keys: BsnKeys, bsn: string): string {
  return createHmac('sha256', keys.macKey).update(bsn).digest('hex');
}
