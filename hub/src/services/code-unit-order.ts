/**
 * Orders strings by their UTF-16 code units: a stable order for names and ids in lists the hub
 * serves. `localeCompare` would load ICU's collation data (about 3.5 MB resident) into the hub;
 * screens sort for display in the browser's own locale.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
