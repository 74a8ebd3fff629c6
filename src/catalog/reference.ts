// National reference data shipped with the product: all 342 municipalities (CBS codes, jeugdzorgregio)
// and the national youth-care product code list (JZ21). Copies of the published lists (also in standards/), kept in src/catalog/data.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/index.ts';

const dataDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data');

export interface MunicipalityRef {
  code: string;
  name: string;
  province: string;
  jeugdzorgregio: string;
}

export function municipalities(): MunicipalityRef[] {
  const lines = readFileSync(path.join(dataDir, 'gemeenten-2026.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
  return lines.map((l) => {
    const [code, name, province, jeugdzorgregio] = l.split(',');
    return { code, name, province, jeugdzorgregio };
  });
}

export interface NationalProduct {
  code: string;
  description: string;
  categoryCode: string | null;
  categoryName: string | null;
  executionVariant: string | null;
  hulpvormCode: string | null;
  hulpvormName: string | null;
}

export function nationalProducts(): NationalProduct[] {
  const json = JSON.parse(readFileSync(path.join(dataDir, 'jz21-productcodes.json'), 'utf8'));
  const dash = (v: string | null) => (v === '-' || v === null ? null : v);
  return json.products.map((p: any) => ({
    code: p.productcode,
    description: p.omschrijving,
    categoryCode: dash(p.productcategorie_code),
    categoryName: dash(p.productcategorie_omschrijving),
    executionVariant: p.uitvoeringsvariant ? String(p.uitvoeringsvariant).toLowerCase() : null,
    hulpvormCode: dash(p.dimensie_hulpvorm_code),
    hulpvormName: dash(p.dimensie_hulpvorm_omschrijving),
  }));
}

/** Idempotent: loads what is missing, changes nothing that is there. */
export async function loadReferenceData(db: Db): Promise<void> {
  const ms = municipalities();
  await db.query(
    `INSERT INTO municipality (code, name, province, jeugdzorgregio)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT (code) DO NOTHING`,
    [ms.map((m) => m.code), ms.map((m) => m.name), ms.map((m) => m.province), ms.map((m) => m.jeugdzorgregio)],
  );
  const ps = nationalProducts();
  await db.query(
    `INSERT INTO national_product (code, description, category_code, category_name, execution_variant, hulpvorm_code, hulpvorm_name)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) ON CONFLICT (code) DO NOTHING`,
    [
      ps.map((p) => p.code),
      ps.map((p) => p.description),
      ps.map((p) => p.categoryCode),
      ps.map((p) => p.categoryName),
      ps.map((p) => p.executionVariant),
      ps.map((p) => p.hulpvormCode),
      ps.map((p) => p.hulpvormName),
    ],
  );
}
