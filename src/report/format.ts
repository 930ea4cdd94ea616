// Number formatting shared by the printers.
/** A number with about three significant digits, grouped: 12,345 · 123 · 12.3 · 1.23. */
export function num(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function ratio(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(value === 1 ? 0 : 2)}%`;
}

/** "95 s" or, from 150 s on, "12 min". */
export function duration(sec: number): string {
  return sec >= 150 ? `${Math.round(sec / 60)} min` : `${Math.round(sec)} s`;
}

export function bytes(value: number): string {
  return `${(value / 1024 / 1024).toFixed(0)} MiB`;
}

/** JSON as every results file is written: indented, with a final newline. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
