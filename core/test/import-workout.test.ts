import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTouchlineError } from '../src/errors.ts';
import { importWorkout } from '../src/import/index.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'workouts', name));
const bytes = (text: string) => new TextEncoder().encode(text);

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isTouchlineError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a TouchlineError');
}

describe('importWorkout format detection', () => {
  it('recognises each format from its bytes, whatever the file is called', () => {
    expect(importWorkout(fixture('garmin-fenix-5-walk.fit'), 'walk.gpx').format).toBe('fit');
    expect(importWorkout(fixture('hand-run.gpx'), 'run.fit').format).toBe('gpx');
    expect(importWorkout(fixture('hand-ride.tcx'), 'ride.csv').format).toBe('tcx');
    expect(importWorkout(bytes('time,hr\n0,120\n'), 'hr.txt').format).toBe('csv');
  });

  it('accepts a UTF-8 byte-order mark and leading whitespace before the XML', () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('\n  '), ...fixture('hand-run.gpx')]);
    expect(importWorkout(withBom).records).toHaveLength(5);
  });

  it('rejects other XML, JSON, archives, binary and empty input as TL_ERR_UNSUPPORTED_FORMAT', () => {
    const cases: [Uint8Array, string][] = [
      [bytes('<?xml version="1.0"?><kml><Document/></kml>'), '<kml>'],
      [bytes('{"samples": []}'), 'JSON'],
      [new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), 'gzip'],
      [new Uint8Array([0x50, 0x4b, 3, 4, 0, 0]), 'ZIP'],
      [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 'binary'],
      [new Uint8Array(0), 'empty'],
    ];
    for (const [input, mention] of cases) {
      expect(errorOf(() => importWorkout(input))).toMatchObject({ code: 'TL_ERR_UNSUPPORTED_FORMAT', message: expect.stringContaining(mention) });
    }
  });

  it('reports a .gpx or .tcx file that is not XML as an XML error, and plain text as a CSV error', () => {
    expect(errorOf(() => importWorkout(bytes('hello'), 'run.gpx')).code).toBe('TL_ERR_XML_PARSE');
    expect(errorOf(() => importWorkout(bytes('time,hr\n0,120\n'), 'ride.tcx')).code).toBe('TL_ERR_XML_PARSE');
    expect(errorOf(() => importWorkout(bytes('hello world\n'))).code).toBe('TL_ERR_CSV_PARSE');
  });
});
