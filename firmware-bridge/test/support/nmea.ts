/**
 * NMEA 0183 as a u-blox receiver at 10 Hz writes it (GNGGA + GNRMC per epoch, plus a GNGSA it
 * does not need), rendered at run time because the hub refuses readings more than 24 h from its
 * clock. Checksums are computed here, independently of core: XOR of every character between `$`
 * and `*` (NMEA 0183; nmea-simple `computeNmeaChecksum`).
 */
export function withChecksum(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return `$${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}\r\n`;
}

const pad = (value: number, width: number, decimals = 0) => value.toFixed(decimals).padStart(width + (decimals > 0 ? decimals + 1 : 0), '0');

function angle(value: number, degreeDigits: number): string {
  const abs = Math.abs(value);
  const degrees = Math.floor(abs);
  return `${pad(degrees, degreeDigits)}${pad((abs - degrees) * 60, 2, 5)}`;
}

export interface EpochFix {
  t: number;
  lat: number;
  lon: number;
  speedMps: number;
  sats: number;
  hdop: number;
}

export function nmeaEpoch(fix: EpochFix): string {
  const d = new Date(fix.t);
  const time = `${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds() + d.getUTCMilliseconds() / 1000, 2, 2)}`;
  const date = `${pad(d.getUTCDate(), 2)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCFullYear() % 100, 2)}`;
  const lat = `${angle(fix.lat, 2)},${fix.lat >= 0 ? 'N' : 'S'}`;
  const lon = `${angle(fix.lon, 3)},${fix.lon >= 0 ? 'E' : 'W'}`;
  const knots = (fix.speedMps * 3600) / 1852;
  return (
    withChecksum(`GNGGA,${time},${lat},${lon},1,${pad(fix.sats, 2)},${fix.hdop.toFixed(2)},41.3,M,47.0,M,,`) +
    withChecksum(`GNRMC,${time},A,${lat},${lon},${knots.toFixed(3)},87.5,${date},,,A,V`) +
    withChecksum('GNGSA,A,3,01,03,07,08,11,14,17,19,22,28,,,1.30,0.80,1.00,1')
  );
}

/** A player jogging east along the touchline at 3 m/s, 10 fixes a second from `start`. */
export function joggingTrack(start: number, seconds: number): EpochFix[] {
  const fixes: EpochFix[] = [];
  const metresPerDegreeLon = 111_320 * Math.cos((51.556 * Math.PI) / 180);
  for (let i = 0; i < seconds * 10; i++) {
    fixes.push({ t: start + i * 100, lat: 51.556, lon: -0.2797 + (3 * i * 0.1) / metresPerDegreeLon, speedMps: 3, sats: 14, hdop: 0.8 });
  }
  return fixes;
}
