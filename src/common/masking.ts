// Masked forms of contact details, shown in the pool to users who may not see them yet. The shape
// (length, domain, area) stays so a list still reads naturally; the identifying part is gone.

export function maskPhone(value: string | null | undefined): string | null {
  if (!value) return value ?? null;
  let seen = 0;
  return value.replace(/\d/g, (d) => (seen++ < 3 ? d : '*'));
}

export function maskEmail(value: string | null | undefined): string | null {
  if (!value) return value ?? null;
  const at = value.lastIndexOf('@');
  if (at < 1) return '***';
  return `${value[0]}***${value.slice(at)}`;
}

export function maskAddress(value: string | null | undefined): string | null {
  if (!value) return value ?? null;
  const chars = [...value];
  return chars.length <= 6 ? '***' : `${chars.slice(0, 6).join('')}***`;
}

/** An IM handle (WeChat id, ...): the first two characters stay. */
export function maskHandle(value: string | null | undefined): string | null {
  if (!value) return value ?? null;
  const chars = [...value];
  return chars.length <= 2 ? '***' : `${chars.slice(0, 2).join('')}***`;
}
