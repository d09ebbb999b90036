// A cell or JSON value as text, the way a datasheet shows it: scalars as written, nothing as '',
// anything else as JSON (never "[object Object]").
export function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}
