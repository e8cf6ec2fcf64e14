/** Whole days from a to b (YYYY-MM-DD), computed in UTC so no time zone can shift it. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}
