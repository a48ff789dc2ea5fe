// Normalisation behind "names are unique among live customers" and the duplicate check (同名检查):
// full-width to half-width (NFKC), case, spaces and punctuation, and common company suffixes, so
// "华为技术有限公司", "华为技术 有限公司。" and "ＨＵＡＷＥＩ Co., Ltd." meet their twins.

// Longest first: stripping repeats until none applies ("xx股份有限公司" -> "xx").
const SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '集团有限公司',
  '有限公司',
  '股份公司',
  '总公司',
  '公司',
  'corporation',
  'company',
  'limited',
  'coltd',
  'corp',
  'inc',
  'ltd',
  'llc',
  'plc',
  'gmbh',
  'co',
].sort((a, b) => b.length - a.length);

const SEPARATORS = /[\s\p{P}\p{S}]+/gu;

export function customerNameKey(name: string): string {
  const compact = name.normalize('NFKC').toLowerCase().replace(SEPARATORS, '');
  if (SUFFIXES.includes(compact)) return compact;
  let key = compact;
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of SUFFIXES) {
      if (key.length > suffix.length && key.endsWith(suffix)) {
        key = key.slice(0, -suffix.length);
        changed = true;
        break;
      }
    }
  }
  return key || compact;
}

/** Digits of a phone number without a China country prefix, for matching across formats. */
export function phoneKey(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let digits = phone.normalize('NFKC').replace(/\D+/g, '');
  if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  return digits.length >= 3 ? digits : null;
}
