/** Sizes as a French reader sees them in Windows Explorer (1 Ko = 1 024 octets, rounded up), so figures match. */
export function formatSize(bytes: number): string {
  if (bytes < 1_048_576) return `${Math.max(1, Math.ceil(bytes / 1024))} Ko`;
  const mo = bytes / 1_048_576;
  const digits = mo < 10 ? 1 : 0;
  return `${mo.toFixed(digits).replace('.', ',')} Mo`;
}
