// `npx regiekamer tariff calc --input FILE.json`: the build-up of one tariff, as JSON, from a file with a norm set
// and a product (or productCode, or gezinshuis). No database: the same model the server and the web app run.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CalcInput } from './schema.ts';
import {
  buildGezinshuisTariff,
  buildProductTariff,
  TariffInputError,
  type BuildUp,
  type GezinshuisInput,
  type NormSetBody,
  type ProductNorm,
} from './model.ts';

export function calcFromFile(file: string): BuildUp {
  z.config(z.locales.nl()); // messages in Dutch, as on the server
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'bestand bestaat niet' : `geen geldige JSON (${(e as Error).message})`}`);
  }
  const parsed = CalcInput.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${file}: ongeldige invoer\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || '(bestand)'}: ${i.message}`).join('\n')}`);
  }
  const { norms, product, productCode, gezinshuis } = parsed.data;
  try {
    if (gezinshuis) return buildGezinshuisTariff(norms as NormSetBody, gezinshuis as GezinshuisInput);
    const p = product ?? norms.products.find((x) => x.code === productCode);
    if (!p) throw new TariffInputError('productCode', `Product ${productCode} staat niet in norms.products`);
    return buildProductTariff(norms as NormSetBody, p as ProductNorm);
  } catch (e) {
    if (e instanceof TariffInputError) throw new Error(`${file}: ${e.message}`);
    throw e;
  }
}
