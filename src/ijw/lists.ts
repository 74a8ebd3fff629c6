// The national lists the product ships, as the rules need them: CBS municipality codes (TR378) and the
// national product code list JZ21 with its categories (TR381). Read once from the catalog's reference data.
import { municipalities, nationalProducts } from '../catalog/index.ts';

export interface NationalLists {
  /** CBS gemeentecodes (four digits). */
  municipalities: ReadonlySet<string>;
  /** Product code → product category (JZ020), for codes that belong to a category. */
  productCategory: ReadonlyMap<string, string>;
  /** Categories for which the national list holds codes: only there can TR381 judge a code. */
  categoriesWithCodes: ReadonlySet<string>;
}

let cached: NationalLists | undefined;

export function nationalLists(): NationalLists {
  if (cached) return cached;
  const productCategory = new Map<string, string>();
  for (const p of nationalProducts()) if (p.categoryCode) productCategory.set(p.code, p.categoryCode);
  cached = {
    municipalities: new Set(municipalities().map((m) => m.code)),
    productCategory,
    categoriesWithCodes: new Set(productCategory.values()),
  };
  return cached;
}

/** The lists with extra entries, e.g. a region's own product codes (productenboek) or older municipality codes. */
export function extendLists(
  base: NationalLists,
  extra: { municipalities?: Iterable<string>; products?: Iterable<[code: string, category: string]> },
): NationalLists {
  const productCategory = new Map(base.productCategory);
  for (const [code, cat] of extra.products ?? []) productCategory.set(code, cat);
  return {
    municipalities: new Set([...base.municipalities, ...(extra.municipalities ?? [])]),
    productCategory,
    categoriesWithCodes: new Set(productCategory.values()),
  };
}
