/** Timestamp parsing shared by the GPX, TCX and CSV importers. */

const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Unix ms of an ISO 8601 date-time, or undefined when the text is not one. A time without a zone is
 * read as UTC, as GPX 1.1 and TCX require (GPX 1.1 schema, `time` element: "Coordinated Universal
 * Time"), rather than in the local zone of whichever machine runs the import.
 */
export function parseIsoTime(value: string): number | undefined {
  const match = ISO_DATE_TIME.exec(value.trim());
  if (!match) return undefined;
  const [, date, time, zone] = match;
  const offset = zone === undefined || zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${date}T${time}${offset}`);
  return Number.isFinite(ms) ? ms : undefined;
}
