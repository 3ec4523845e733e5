import { describe, expect, it } from 'vitest';
import { TouchlineError } from '../src/errors.ts';
import { METRES_PER_SECOND_PER_KNOT, NmeaFixStream, NmeaLineSplitter, decodeNmeaLog, parseNmeaSentence } from '../src/decoders/index.ts';

function nmeaError(fn: () => unknown): TouchlineError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TouchlineError);
    expect((err as TouchlineError).code).toBe('TL_ERR_NMEA_SENTENCE');
    return err as TouchlineError;
  }
  throw new Error('expected TL_ERR_NMEA_SENTENCE, nothing was thrown');
}

/** Wraps a sentence body with `$`, `*` and its checksum, computed here independently (XOR of the body). */
function sentence(body: string): string {
  let x = 0;
  for (const ch of body) x ^= ch.charCodeAt(0);
  return `$${body}*${x.toString(16).toUpperCase().padStart(2, '0')}`;
}

// UTC midnights, by hand: 1994-03-23 = 8847 days after 1970-01-01, 2023-02-04 = 19392 days.
const MAR_23_1994 = 8847 * 86_400_000;
const FEB_04_2023 = 19392 * 86_400_000;

describe('NMEA sentences (protocols.md §3)', () => {
  // nmea-simple tests/GGAtest.ts
  it('decodes the nmea-simple GGA vector', () => {
    const gga = parseNmeaSentence('$IIGGA,123519,4807.04,N,1131.00,E,1,8,0.9,545.9,M,46.9,M,,*52');
    expect(gga).toMatchObject({ kind: 'GGA', talker: 'II', quality: 1, fix: 'gps', sats: 8, hdop: 0.9, altitudeM: 545.9, geoidSeparationM: 46.9 });
    if (gga.kind !== 'GGA') throw new Error('not GGA');
    expect(gga.timeOfDayMs).toBe((12 * 3600 + 35 * 60 + 19) * 1000);
    expect(gga.lat).toBeCloseTo(48 + 7.04 / 60, 12);
    expect(gga.lon).toBeCloseTo(11 + 31 / 60, 12);
    expect(gga.t).toBeUndefined(); // GGA has no date
    expect(gga.dgpsAgeS).toBeUndefined();
    // with a date context: 1994-03-23T12:35:19Z
    expect(parseNmeaSentence('$IIGGA,123519,4807.04,N,1131.00,E,1,8,0.9,545.9,M,46.9,M,,*52', { dayStartMs: MAR_23_1994 })).toMatchObject({
      t: Date.UTC(1994, 2, 23, 12, 35, 19),
    });
  });

  // nmea-simple tests/RMCtest.ts
  it('decodes the nmea-simple RMC vector', () => {
    const rmc = parseNmeaSentence('$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A');
    expect(rmc).toMatchObject({ kind: 'RMC', talker: 'GP', valid: true, speedKnots: 22.4, courseDeg: 84.4, magneticVariationDeg: -3.1 });
    if (rmc.kind !== 'RMC') throw new Error('not RMC');
    expect(rmc.t).toBe(764426119000); // 1994-03-23T12:35:19Z, python datetime(...).timestamp()
    expect(rmc.dayStartMs).toBe(MAR_23_1994);
    expect(rmc.lat).toBeCloseTo(48.1173, 12);
    expect(rmc.lon).toBeCloseTo(11 + 31 / 60, 12);
    expect(rmc.speedMps).toBeCloseTo((22.4 * 1852) / 3600, 12); // 11.5236 m/s
    expect(METRES_PER_SECOND_PER_KNOT).toBeCloseTo(0.514444, 6);
  });

  // nmea-simple tests/RMCtest.ts: sub-second times of a >1 Hz receiver, GN talker, mode and nav status fields
  it('keeps sub-second time and the void status', () => {
    const a = parseNmeaSentence('$GNRMC,123411.200,A,4721.2973,N,01906.6971,E,16.19,142.59,040223,,,A,V*37');
    expect(a).toMatchObject({ talker: 'GN', valid: true, t: 1675514051200, mode: 'A' });
    expect(a).not.toHaveProperty('magneticVariationDeg');
    const v = parseNmeaSentence('$GPRMC,123409.886,V,,,,,16.10,145.36,040223,,,N,V*08');
    expect(v).toMatchObject({ valid: false, t: FEB_04_2023 + 45249886, speedKnots: 16.1, mode: 'N' });
    expect(v).not.toHaveProperty('lat');
    expect(v).not.toHaveProperty('lon');
  });

  // pynmea2 test/test_types.py test_GGA and test_RMC
  it('decodes the pynmea2 vectors, southern and western hemispheres', () => {
    const gga = parseNmeaSentence('$GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000*6D');
    expect(gga).toMatchObject({ timeOfDayMs: 67433070, sats: 4, hdop: 2.6, altitudeM: 100, geoidSeparationM: -33.9, dgpsStationId: '0000' });
    if (gga.kind !== 'GGA') throw new Error('not GGA');
    expect(gga.lat).toBeCloseTo(-(19 + 29.045 / 60), 12);
    expect(gga.lon).toBeCloseTo(24 + 10.506 / 60, 12);
    const rmc = parseNmeaSentence('$GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E*68');
    expect(rmc).toMatchObject({ t: 785285686000, magneticVariationDeg: 20.3 }); // 1994-11-19T22:54:46Z
    if (rmc.kind !== 'RMC') throw new Error('not RMC');
    expect(rmc.lat).toBeCloseTo(49.274166666, 8);
    expect(rmc.lon).toBeCloseTo(-123.185333333, 8);
  });

  // nmea-simple tests/errorTests.ts: the correct XOR of "IIHDM,201.5,M" is 0x24
  it('rejects a bad checksum and passes other sentence types through', () => {
    const err = nmeaError(() => parseNmeaSentence('$IIHDM,201.5,M*21'));
    expect(err.detail).toMatchObject({ reason: 'checksum' });
    expect(err.message).toContain('24');
    expect(parseNmeaSentence('$IIHDM,201.5,M*24')).toEqual({ kind: 'other', talker: 'II', type: 'HDM', fields: ['201.5', 'M'] });
    // lower-case checksum digits are accepted, as is a trailing CRLF
    expect(parseNmeaSentence('$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6a\r\n')).toMatchObject({ kind: 'RMC', valid: true });
    // a GGA without a fix (quality 0, empty position)
    const noFix = parseNmeaSentence(sentence('GPGGA,000000,,,,,0,00,,,M,,M,,'));
    expect(noFix).toMatchObject({ kind: 'GGA', quality: 0, fix: 'invalid', sats: 0 });
    expect(noFix).not.toHaveProperty('lat');
  });

  it('rejects malformed sentences with TL_ERR_NMEA_SENTENCE', () => {
    const malformed = [
      '$GPGGA,123519,4807.04,N,01131.00,E,1,8,0.9,545.9,M,46.9,M,,', // no checksum
      'GPGGA,123519*00',
      sentence('GPGGA,123519,4807.04,N,01131.00,E,1,8,0.9,545.9,M'), // too few fields
      sentence('GPGGA,123519,4807.04,X,01131.00,E,1,8,0.9,545.9,M,46.9,M,,'), // hemisphere
      sentence('GPGGA,123519,4867.04,N,01131.00,E,1,8,0.9,545.9,M,46.9,M,,'), // 67 minutes
      sentence('GPGGA,123519,9107.04,N,01131.00,E,1,8,0.9,545.9,M,46.9,M,,'), // 91°
      sentence('GPGGA,256019,4807.04,N,01131.00,E,1,8,0.9,545.9,M,46.9,M,,'), // hour 25
      sentence('GPGGA,123519,4807.04,N,01131.00,E,,8,0.9,545.9,M,46.9,M,,'), // no quality
      sentence('GPGGA,123519,4807.04,N,01131.00,E,1,8,0.9.1,545.9,M,46.9,M,,'), // HDOP
      sentence('GPRMC,123519,X,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W'), // status
      sentence('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,300294,003.1,W'), // 30 February
      sentence('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,'), // variation without side
      sentence('GP,1,2'), // address
    ];
    for (const line of malformed) expect(nmeaError(() => parseNmeaSentence(line)).detail).toMatchObject({ reason: 'malformed' });
  });
});

describe('NMEA line splitter', () => {
  it('joins partial lines across reads and accepts CR, LF and CRLF', () => {
    const splitter = new NmeaLineSplitter();
    expect(splitter.push('$GPGGA,1')).toEqual([]);
    expect(splitter.push('23519*00\r')).toEqual(['$GPGGA,123519*00']);
    expect(splitter.push('\n$A*00\n$B*00\r\n$C')).toEqual(['$A*00', '$B*00']);
    expect(splitter.pendingChars).toBe(2);
    expect(splitter.flush()).toEqual(['$C']);
  });

  it('drops noise before the last $ of a line and lines with no $', () => {
    const splitter = new NmeaLineSplitter();
    expect(splitter.push('\u0000\u00ff garbage $GPX*00 $GPGGA,1*00\nno dollar here\n')).toEqual(['$GPGGA,1*00']);
    expect(splitter.stats.discardedChars).toBe('\u0000\u00ff garbage $GPX*00 '.length + 'no dollar here'.length);
  });

  it('bounds memory on a line that never ends', () => {
    const splitter = new NmeaLineSplitter(100);
    splitter.push('$GPGGA,');
    for (let i = 0; i < 50; i++) splitter.push('X'.repeat(30));
    expect(splitter.pendingChars).toBeLessThanOrEqual(100);
    expect(splitter.stats.overlongLines).toBeGreaterThan(0);
    expect(splitter.push(`\n${'Y'.repeat(120)}$GPGGA*00\n`)).toEqual(['$GPGGA*00']);
  });

  it('decodes bytes as well as text', () => {
    const splitter = new NmeaLineSplitter();
    expect(splitter.push(new TextEncoder().encode('$IIHDM,201.5,M*24\r\n'))).toEqual(['$IIHDM,201.5,M*24']);
  });
});

describe('NMEA fix stream', () => {
  // A 10 Hz receiver sending RMC then GGA per epoch (the order u-blox uses), sentences built here.
  const epochs = [
    ['GNRMC,235959.800,A,4807.0380,N,01131.0000,E,10.0,90.0,311224,,,A', 'GNGGA,235959.800,4807.0380,N,01131.0000,E,1,12,0.8,500.0,M,47.0,M,,'],
    ['GNRMC,235959.900,A,4807.0390,N,01131.0010,E,10.0,90.0,311224,,,A', 'GNGGA,235959.900,4807.0390,N,01131.0010,E,2,13,0.7,500.1,M,47.0,M,,'],
    ['GNRMC,000000.000,A,4807.0400,N,01131.0020,E,12.0,90.0,010125,,,A', 'GNGGA,000000.000,4807.0400,N,01131.0020,E,1,13,0.7,500.2,M,47.0,M,,'],
  ];
  const log = epochs.flat().map(sentence).join('\r\n') + '\r\n';
  const DEC_31_2024 = 20088 * 86_400_000; // days since 1970-01-01, by hand

  it('joins the sentences of each epoch into one fix', () => {
    const { fixes, stats } = decodeNmeaLog(log);
    expect(fixes).toHaveLength(3);
    expect(fixes[0]).toEqual({
      t: DEC_31_2024 + 86_399_800,
      lat: expect.closeTo(48 + 7.038 / 60, 12),
      lon: expect.closeTo(11 + 31 / 60, 12),
      speed: expect.closeTo((10 * 1852) / 3600, 12), // from RMC
      hdop: 0.8, // from GGA
      sats: 12,
      altitude: 500,
    });
    // the third epoch is the first of 2025 (RMC date 010125)
    expect(fixes[2]).toMatchObject({ t: DEC_31_2024 + 86_400_000, speed: expect.closeTo((12 * 1852) / 3600, 12), sats: 13, altitude: 500.2 });
    expect(stats).toMatchObject({ sentences: 6, fixes: 3, checksumErrors: 0, malformed: 0, noFix: 0, undated: 0 });
  });

  it('gives the same fixes streamed byte by byte as in one batch', () => {
    const stream = new NmeaFixStream();
    const bytes = new TextEncoder().encode(log);
    const streamed = [...bytes].flatMap((b) => stream.push(Uint8Array.of(b)));
    streamed.push(...stream.flush());
    expect(streamed).toEqual(decodeNmeaLog(log).fixes);
    // Once the receiver's sentence types are known (after its first epoch), each fix is out as soon
    // as its epoch is complete rather than when the next epoch begins.
    const live = new NmeaFixStream();
    const lines = epochs.flat().map((body) => sentence(body) + '\r\n');
    expect(lines.map((line) => live.push(line).length)).toEqual([0, 0, 1, 1, 0, 1]);
  });

  it('dates GGA-only epochs from a given day and carries them over midnight', () => {
    const ggaOnly = epochs.map(([, gga]) => sentence(gga!)).join('\n') + '\n';
    expect(decodeNmeaLog(ggaOnly).stats).toMatchObject({ fixes: 0, undated: 3 });
    const { fixes } = decodeNmeaLog(ggaOnly, { dayStartMs: DEC_31_2024 });
    expect(fixes.map((f) => f.t)).toEqual([DEC_31_2024 + 86_399_800, DEC_31_2024 + 86_399_900, DEC_31_2024 + 86_400_000]);
    expect(fixes[0]).not.toHaveProperty('speed');
  });

  it('takes the date for later GGA sentences from an earlier RMC', () => {
    const lines = [sentence(epochs[0]![0]!), sentence(epochs[1]![1]!), sentence(epochs[2]![1]!)];
    // the receiver sends both types, so the lone GGAs complete when the next epoch starts or at flush
    const { fixes } = decodeNmeaLog(lines.join('\n'));
    expect(fixes.map((f) => f.t)).toEqual([DEC_31_2024 + 86_399_800, DEC_31_2024 + 86_399_900, DEC_31_2024 + 86_400_000]);
  });

  it('counts no-fix epochs, bad checksums and garbage without stopping', () => {
    const noisy = [
      sentence('GPRMC,123409.886,V,,,,,16.10,145.36,040223,,,N,V'),
      '$GPGGA,123410.000,4807.04,N,01131.00,E,1,8,0.9,545.9,M,46.9,M,,*00', // bad checksum
      '\u0001\u0002binary\u00ff',
      sentence('GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00'),
      sentence('GPGGA,123411.000,,,,,0,00,,,M,,M,,'),
      sentence('GPRMC,123412,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W'),
      sentence('GPRMC,123412,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W'), // repeated
      sentence('GPGGA,25,4807.04,N,01131.00,E,1,8,0.9,545.9,M,46.9,M,,'), // malformed time
    ].join('\r\n');
    const { fixes, stats } = decodeNmeaLog(noisy);
    expect(fixes).toHaveLength(1);
    expect(fixes[0]!.t).toBe(MAR_23_1994 + (12 * 3600 + 34 * 60 + 12) * 1000);
    expect(stats).toMatchObject({ checksumErrors: 1, malformed: 1, otherSentences: 1, noFix: 2, skippedSentences: 1, fixes: 1 });
  });

  it('neither throws nor emits a fix when fed a long stream of random garbage', () => {
    let seed = 0x2545f491;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 4294967296;
    };
    // Raw bytes, then text biased towards NMEA's own characters so that many lines look almost right.
    const bytes = Uint8Array.from({ length: 128 * 1024 }, () => Math.floor(random() * 256));
    const alphabet = '$GPNRMCGA,.*0123456789ABCDEFNSEW\r\n';
    const text = Array.from({ length: 128 * 1024 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const stream = new NmeaFixStream();
    const fixes = [];
    for (let at = 0; at < bytes.length; at += 97) fixes.push(...stream.push(bytes.subarray(at, at + 97)));
    for (let at = 0; at < text.length; at += 61) fixes.push(...stream.push(text.slice(at, at + 61)));
    fixes.push(...stream.flush());
    expect(fixes).toEqual([]);
    expect(stream.stats.fixes).toBe(0);
    expect(stream.stats.checksumErrors + stream.stats.malformed).toBeGreaterThan(100);
    expect(stream.splitter.pendingChars).toBeLessThanOrEqual(stream.splitter.maxLineLength);
    // a real sentence after the noise still gets through
    stream.push(`\r\n${sentence('GPRMC,123412,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W')}\r\n`);
    expect(stream.flush()).toHaveLength(1);
  });
});
