/** Display formatting shared by messages, the CLI and the editor. */

/** `$0.0061`, `$1.24`, `$183`, `$12.3k` — enough digits to compare calls, never scientific notation. */
export function formatUsd(usd: number | null): string {
  if (usd === null) return 'unknown';
  if (usd === 0) return '$0';
  const abs = Math.abs(usd);
  if (abs >= 10_000) return `$${(usd / 1000).toFixed(1)}k`;
  if (abs >= 100) return `$${usd.toFixed(0)}`;
  if (abs >= 1) return `$${usd.toFixed(2)}`;
  // Two significant digits below a dollar: $0.0061, $0.00042.
  const digits = Math.max(2, 1 - Math.floor(Math.log10(abs)));
  return `$${usd.toFixed(Math.min(digits, 8))}`;
}

/** `1.2k`, `16k`, `350`. */
export function formatTokens(n: number | null): string {
  if (n === null) return '?';
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  return String(n);
}

/** `16384` → `16,384`: exact limits read better with separators than `16k`. */
export function formatNumber(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
