// Where message bytes come from (a file, bytes in memory, a stream) and how they become text: in chunks,
// UTF-8 only, never more than the size limit. Shared by the streaming reader and the XSD check.
import { isUtf8 } from 'node:buffer';
import { open, stat } from 'node:fs/promises';
import { IjwReadError } from './errors.ts';

/** A file path, bytes, XML text ({ xml }) or a byte stream (e.g. an upload). */
export type MessageSource = string | URL | Uint8Array | { xml: string } | AsyncIterable<Uint8Array | string>;

export interface SourceOptions {
  /** Refuse anything larger (bytes). Default 256 MiB, or REGIEKAMER_IJW_MAX_MB. */
  maxBytes?: number;
  /**
   * Chunk size for reading files (bytes). Default 64 KiB: small chunks keep memory flat, and a decoded piece of up to
   * 64 K characters is made in V8's young generation; one of 256 K characters went to the large-object space, which
   * made decoding a 10,000-line file take 45 ms instead of 2 ms (measured, Node 20).
   */
  chunkBytes?: number;
  /** Called with the number of bytes read so far (progress). */
  onBytes?: (bytes: number) => void;
}

export const DEFAULT_MAX_BYTES = (() => {
  const mb = Number(process.env.REGIEKAMER_IJW_MAX_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.round(mb * 1024 * 1024) : 256 * 1024 * 1024;
})();

const CHUNK_BYTES = 64 * 1024;

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
const tooLarge = (max: number) =>
  new IjwReadError('TE_GROOT', `Het bestand is groter dan de toegestane ${mib(max)}; splits de aanlevering of verhoog REGIEKAMER_IJW_MAX_MB`);

/** A short name for messages: the file name, or a description of the source. */
export function sourceName(source: MessageSource): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.pathname;
  if (source instanceof Uint8Array) return '(bytes)';
  if ('xml' in source) return '(tekst)';
  return '(stroom)';
}

/** The source as decoded text chunks. Throws IjwReadError for unreadable, oversized or non-UTF-8 input. */
export async function* textChunks(source: MessageSource, opts: SourceOptions = {}): AsyncGenerator<string> {
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof source === 'object' && !(source instanceof URL) && !(source instanceof Uint8Array) && 'xml' in source) {
    if (Buffer.byteLength(source.xml) > max) throw tooLarge(max);
    const xml = source.xml.charCodeAt(0) === 0xfeff ? source.xml.slice(1) : source.xml;
    // in pieces, like a file: a parser reading one character at a time is slow on a string built by
    // concatenation (V8 cons string); slicing flattens it once
    const step = opts.chunkBytes ?? CHUNK_BYTES;
    for (let i = 0; i < xml.length; i += step) yield xml.slice(i, i + step);
    return;
  }
  let bytes = 0;
  const decoder = utf8Decoder();
  const decode = (b: Uint8Array, final: boolean): string => decoder(b, final);
  if (source instanceof Uint8Array) {
    if (source.byteLength > max) throw tooLarge(max);
    yield decode(source, true);
    return;
  }
  let stream: AsyncIterable<Uint8Array | string>;
  let closeFile: (() => Promise<void>) | undefined;
  if (typeof source === 'string' || source instanceof URL) {
    const file = source;
    try {
      const s = await stat(file);
      if (!s.isFile()) throw new IjwReadError('BESTAND', `${String(file)} is geen bestand`);
      if (s.size > max) throw tooLarge(max);
    } catch (e) {
      if (e instanceof IjwReadError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new IjwReadError(
        'BESTAND',
        code === 'ENOENT' ? `Bestand niet gevonden: ${String(file)}` : `Bestand kan niet gelezen worden: ${String(file)} (${code ?? (e as Error).message})`,
      );
    }
    const fh = await open(file, 'r').catch((e: Error) => {
      throw new IjwReadError('BESTAND', `Bestand kan niet gelezen worden: ${sourceName(file)} (${e.message})`); // as a failed read below
    });
    closeFile = () => fh.close();
    stream = filePieces(fh, opts.chunkBytes ?? CHUNK_BYTES);
  } else {
    stream = source;
  }
  try {
    for await (const chunk of stream) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      bytes += b.byteLength;
      if (bytes > max) throw tooLarge(max); // streams without a known size: stop as soon as the limit is passed
      opts.onBytes?.(bytes);
      const s = decode(b, false);
      if (s) yield s;
    }
  } catch (e) {
    if (e instanceof IjwReadError) throw e;
    throw new IjwReadError('BESTAND', `Bestand kan niet gelezen worden: ${sourceName(source)} (${(e as Error).message})`);
  } finally {
    // a consumer that stops early (fatal error further on) must not leave the file open
    const s = stream as { destroy?: () => void };
    if (typeof s.destroy === 'function') s.destroy();
    await closeFile?.();
  }
  const rest = decode(new Uint8Array(0), true);
  if (rest) yield rest;
}

/**
 * A file's bytes in pieces, read into two buffers in turn: while one piece is decoded (copied into a string), the next
 * is being read into the other. In place of fs.createReadStream, whose stream machinery (a new buffer, events and
 * promises per piece) cost about 20 ms of CPU on a 10,000-line declaration (130 pieces), a twentieth of validating it
 * (BENCHMARKS.md, issue 17 §3, eighth session). Asynchronous: a server reading an upload from disk is not blocked,
 * and reading ahead keeps the wait for the disk (or the thread pool on a busy machine) out of the wall time.
 */
async function* filePieces(fh: import('node:fs/promises').FileHandle, size: number): AsyncGenerator<Uint8Array> {
  let ready = Buffer.allocUnsafe(size);
  let spare = Buffer.allocUnsafe(size);
  // a read left running when the consumer stops early must not become an unhandled rejection; awaited, it still throws
  const ahead = (b: Buffer) => {
    const p = fh.read(b, 0, size, null);
    p.catch(() => undefined);
    return p;
  };
  let next = ahead(ready);
  for (;;) {
    const { bytesRead } = await next;
    if (bytesRead === 0) return;
    const piece = ready;
    // the consumer has finished with `spare` (the piece before) when it asks for this one
    next = ahead(spare);
    ready = spare;
    spare = piece;
    yield piece.subarray(0, bytesRead);
  }
}

const notUtf8 = () => new IjwReadError('CODERING', 'Het bestand is geen geldige UTF-8; iJW-berichten zijn altijd UTF-8');

/**
 * Strict UTF-8 to text, in pieces (a character cut in two by a piece boundary waits for the rest), without a byte
 * order mark. Node's own validation and decoding (simdutf): TextDecoder with `fatal` took about a tenth of the time
 * of validating a declaration, this a fraction of that.
 */
export function utf8Decoder(): (b: Uint8Array, final: boolean) => string {
  let carry: Uint8Array | null = null;
  let first = true;
  const text = (b: Uint8Array): string => {
    if (!isUtf8(b)) throw notUtf8();
    let s = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
    if (first && s.length) {
      first = false;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    return s;
  };
  return (b, final) => {
    if (carry) {
      // finish the character cut in two: its lead byte says how many bytes it has
      const lead = carry[0];
      const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
      const need = Math.min(size - carry.length, b.byteLength);
      if (carry.length + need < size) {
        const joined = new Uint8Array(carry.length + need);
        joined.set(carry);
        joined.set(b.subarray(0, need), carry.length);
        if (final) throw notUtf8();
        carry = joined;
        return '';
      }
      // one piece again (a copy, cheap), so that the text is one flat string and not a concatenation
      b = Buffer.concat([carry, b]);
      carry = null;
    }
    if (!final) {
      // keep back a character whose bytes go on in the next piece
      let j = b.byteLength - 1;
      while (j >= 0 && j > b.byteLength - 4 && (b[j] & 0xc0) === 0x80) j--;
      if (j >= 0 && b[j] >= 0xc0) {
        const size = b[j] >= 0xf0 ? 4 : b[j] >= 0xe0 ? 3 : 2;
        if (b.byteLength - j < size) {
          carry = new Uint8Array(b.subarray(j)); // a copy: the stream may reuse its buffer
          b = b.subarray(0, j);
        }
      }
    }
    return b.byteLength ? text(b) : '';
  };
}
