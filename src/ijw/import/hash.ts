// Step 1 of the import: the file's SHA-256 (the same file twice is stored once) and its gzipped bytes, in one pass.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip as gzipCb, createGzip } from 'node:zlib';
import { IjwReadError } from '../errors.ts';
import type { Hashed, ImportSource } from './common.ts';

const gzip = promisify(gzipCb);

/** SHA-256 and gzip of the bytes, in one pass over a file (the gzip runs on libuv's thread pool). */
export async function hashAndCompress(source: ImportSource, maxBytes: number): Promise<Hashed> {
  if (source instanceof Uint8Array) {
    if (source.byteLength > maxBytes) throw new IjwReadError('TE_GROOT', `Het bestand is groter dan de toegestane ${Math.round(maxBytes / 1024 / 1024)} MB`);
    return { hash: createHash('sha256').update(source).digest('hex'), gz: await gzip(source, { level: 1 }), size: source.byteLength };
  }
  let size: number;
  try {
    const s = await stat(source);
    if (!s.isFile()) throw new Error('geen bestand');
    size = s.size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new IjwReadError('BESTAND', code === 'ENOENT' ? `Bestand niet gevonden: ${source}` : `Bestand kan niet gelezen worden: ${source}`);
  }
  if (size > maxBytes) throw new IjwReadError('TE_GROOT', `Het bestand is groter dan de toegestane ${Math.round(maxBytes / 1024 / 1024)} MB`);
  const h = createHash('sha256');
  const z = createGzip({ level: 1 });
  const parts: Buffer[] = [];
  z.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((resolve, reject) => {
    z.on('end', resolve);
    z.on('error', reject);
  });
  for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20 })) {
    h.update(chunk as Buffer);
    if (!z.write(chunk)) await new Promise((r) => z.once('drain', r));
  }
  z.end();
  await done;
  return { hash: h.digest('hex'), gz: Buffer.concat(parts), size };
}
