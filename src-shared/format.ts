/** Sizes and counts as a French reader expects them ("1,5 Mo"). */
export function formatMegabytes(bytes: number): string {
  const mo = bytes / (1024 * 1024);
  const digits = mo < 10 ? 1 : 0;
  return `${mo.toLocaleString('fr-FR', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} Mo`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('fr-FR')} Ko`;
  return formatMegabytes(bytes);
}
