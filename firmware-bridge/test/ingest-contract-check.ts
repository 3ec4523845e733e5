/**
 * The hub's ingest contract (DESIGN.md, "Ingest contract"), written out independently of the
 * simulator so its payloads can be checked against it: topic grammar, JSON object payloads, and
 * each stream's fields, types and ranges.
 */

const TOPIC = /^touchline\/v1\/sensors\/([A-Za-z0-9_.:-]{1,64})\/(hr|gnss|imu|battery)$/;

type Json = Record<string, unknown>;

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function inRange(obj: Json, key: string, min: number, max: number, required: boolean, problems: string[]): void {
  const value = obj[key];
  if (value === undefined) {
    if (required) problems.push(`${key} missing`);
    return;
  }
  if (!isNumber(value)) problems.push(`${key} not a number`);
  else if (value < min || value > max) problems.push(`${key} ${value} outside ${min}..${max}`);
}

/** Everything wrong with one message; empty when the hub must accept it. */
export function contractViolations(topic: string, payload: string): string[] {
  const match = TOPIC.exec(topic);
  if (!match) return [`bad topic ${topic}`];
  const stream = match[2];
  let obj: unknown;
  try {
    obj = JSON.parse(payload);
  } catch {
    return ['not JSON'];
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return ['not a JSON object'];
  const p = obj as Json;
  const problems: string[] = [];
  if (p.t !== undefined && !(isNumber(p.t) && Number.isInteger(p.t))) problems.push('t not integer Unix ms');
  switch (stream) {
    case 'hr':
      inRange(p, 'bpm', 25, 250, true, problems);
      if (p.rr !== undefined) {
        if (!Array.isArray(p.rr)) problems.push('rr not an array');
        else {
          if (p.rr.length > 32) problems.push('more than 32 rr');
          if (!p.rr.every((rr) => isNumber(rr) && rr >= 200 && rr <= 3000)) problems.push('rr outside 200..3000 ms');
        }
      }
      break;
    case 'gnss': {
      // One fix, or a batch {"fixes": [...]} of at most 100.
      const fixes = p.fixes === undefined ? [p] : Array.isArray(p.fixes) && p.fixes.length <= 100 ? (p.fixes as Json[]) : undefined;
      if (!fixes) {
        problems.push('fixes not an array of at most 100');
        break;
      }
      for (const fix of fixes) {
        if (p.fixes !== undefined && fix.t !== undefined && !(isNumber(fix.t) && Number.isInteger(fix.t))) problems.push('fix t not integer Unix ms');
        inRange(fix, 'lat', -90, 90, true, problems);
        inRange(fix, 'lon', -180, 180, true, problems);
        inRange(fix, 'speed', 0, 15, false, problems);
        inRange(fix, 'hdop', 0, 99, false, problems);
        inRange(fix, 'sats', 0, 99, false, problems);
      }
      break;
    }
    case 'imu':
      // A device-computed increment; 100 AU in one message would be several matches' worth.
      inRange(p, 'playerLoad', 0, 100, true, problems);
      break;
    case 'battery':
      inRange(p, 'pct', 0, 100, true, problems);
      break;
  }
  return problems;
}
