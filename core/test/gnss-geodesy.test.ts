import { describe, expect, it } from 'vitest';
import { EARTH_MEAN_RADIUS_M, haversineDistance, localOffset } from '../src/gnss/index.ts';

describe('haversineDistance', () => {
  it('gives one degree of latitude as R·π/180', () => {
    // python3: 2*6371008.8*asin(sqrt(sin(radians(1)/2)**2)) = 111195.0802335329
    expect(haversineDistance({ lat: 0, lon: 0 }, { lat: 1, lon: 0 })).toBeCloseTo(111195.0802335329, 6);
    expect(haversineDistance({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo(111195.0802335329, 6);
  });

  it('matches an independent haversine for London to Paris', () => {
    // python3 haversine with R = 6371008.8 m: 343556.5348808832
    expect(haversineDistance({ lat: 51.5074, lon: -0.1278 }, { lat: 48.8566, lon: 2.3522 })).toBeCloseTo(343556.5349, 3);
  });

  it('is symmetric, zero for the same point, and short across the antimeridian', () => {
    const a = { lat: -33.9, lon: 151.2 };
    const b = { lat: -33.91, lon: 151.21 };
    expect(haversineDistance(a, b)).toBe(haversineDistance(b, a));
    expect(haversineDistance(a, a)).toBe(0);
    // 0.00002° of longitude on the equator: R·radians(2e-5) = 2.2239 m, not a trip round the world.
    expect(haversineDistance({ lat: 0, lon: 179.99999 }, { lat: 0, lon: -179.99999 })).toBeCloseTo(2.2239016, 6);
  });

  it('rejects out-of-range or missing coordinates with a coded error', () => {
    expect(() => haversineDistance({ lat: 91, lon: 0 }, { lat: 0, lon: 0 })).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(() => haversineDistance({ lat: 0, lon: 0 }, { lat: 0, lon: Number.NaN })).toThrow(/lon in −180…180/);
  });
});

describe('localOffset', () => {
  it('projects north and east offsets in metres', () => {
    const metresPerDegree = (EARTH_MEAN_RADIUS_M * Math.PI) / 180;
    const north = localOffset({ lat: 10, lon: 20 }, { lat: 10.00001, lon: 20 });
    expect(north.north).toBeCloseTo(1e-5 * metresPerDegree, 9);
    expect(north.east).toBe(0);
    // At 60° a degree of longitude is half as long as at the equator (cos 60° = 0.5).
    const east = localOffset({ lat: 60, lon: 0 }, { lat: 60, lon: 0.0001 });
    expect(east.east).toBeCloseTo(0.5 * 1e-4 * metresPerDegree, 9);
    expect(east.north).toBe(0);
  });

  it('takes the short way across the antimeridian', () => {
    const offset = localOffset({ lat: 0, lon: 179.99999 }, { lat: 0, lon: -179.99999 });
    expect(offset.east).toBeCloseTo(2.2239016, 6);
  });
});
