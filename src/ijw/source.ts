// Where message bytes come from (a file, bytes in memory, a stream) and how they become text: in chunks,
// UTF-8 only, never more than the size limit. Shared by the streaming reader and the XSD check.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { IjwReadError } from './errors.ts';

/** A file path, bytes, XML text ({ xml }) or a byte stream (e.g. an upload). */
export type MessageSource = string | URL | Uint8Array | { xml: string } | AsyncIterable<Uint8Array | string>;

export interface SourceOptions {
  /** Refuse anything larger (bytes). Default 256 MiB, or REGIEKAMER_IJW_MAX_MB. */
  maxBytes?: number;
  /** Chunk size for reading files (bytes). Default 256 KiB (small chunks keep memory flat). */
  chunkBytes?: number;
  /** Called with the number of bytes read so far (progress). */
  onBytes?: (bytes: number) => void;
}

export const DEFAULT_MAX_BYTES = (() => {
  const mb = Number(process.env.REGIEKAMER_IJW_MAX_MB);
  return Number.isFinite(mb) && mb > 0 ? Math.round(mb * 1024 * 1024) : 256 * 1024 * 1024;
})();

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
const tooLarge = (max: number) => new IjwReadError('TE_GROOT', `Het bestand is groter dan de toegestane ${mib(max)}; splits de aanlevering of verhoog REGIEKAMER_IJW_MAX_MB`);

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
    const step = opts.chunkBytes ?? 256 * 1024;
    for (let i = 0; i < xml.length; i += step) yield xml.slice(i, i + step);
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  const decode = (b: Uint8Array, final: boolean): string => {
    try {
      return decoder.decode(b, { stream: !final });
    } catch {
      throw new IjwReadError('CODERING', 'Het bestand is geen geldige UTF-8; iJW-berichten zijn altijd UTF-8');
    }
  };
  if (source instanceof Uint8Array) {
    if (source.byteLength > max) throw tooLarge(max);
    yield decode(source, true);
    return;
  }
  let stream: AsyncIterable<Uint8Array | string>;
  if (typeof source === 'string' || source instanceof URL) {
    const file = source;
    try {
      const s = await stat(file);
      if (!s.isFile()) throw new IjwReadError('BESTAND', `${String(file)} is geen bestand`);
      if (s.size > max) throw tooLarge(max);
    } catch (e) {
      if (e instanceof IjwReadError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw new IjwReadError('BESTAND', code === 'ENOENT' ? `Bestand niet gevonden: ${String(file)}` : `Bestand kan niet gelezen worden: ${String(file)} (${code ?? (e as Error).message})`);
    }
    stream = createReadStream(file, { highWaterMark: opts.chunkBytes ?? 256 * 1024 });
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
  }
  const rest = decode(new Uint8Array(0), true);
  if (rest) yield rest;
}
