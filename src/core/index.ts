export * from './money.ts';
export * from './dates.ts';
export * from './errors.ts';
export * from './random.ts';
export { bsnKeys, encryptBsn, bsnLookupHash, isValidBsn, type BsnKeys } from './bsn.ts';
