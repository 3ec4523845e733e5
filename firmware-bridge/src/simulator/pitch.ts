/**
 * The pitch the squad trains on, in metres: x runs along the 105 m touchline from the west goal
 * line, y across the 68 m width from the south touchline. GNSS positions come from placing the
 * centre spot at `origin` with the touchlines running east–west.
 */
import { EARTH_MEAN_RADIUS_M, TouchlineError, isValidLatLon, type LatLon } from '@touchline/core/metrics';

/** FIFA/IFAB recommended size for international matches (Laws of the Game, Law 1). */
export const PITCH_LENGTH_M = 105;
export const PITCH_WIDTH_M = 68;

/** Centre spot of a real-looking training pitch in north-west London. */
export const DEFAULT_ORIGIN: LatLon = Object.freeze({ lat: 51.556, lon: -0.2796 });

export interface PitchPoint {
  x: number;
  y: number;
}

const DEGREES_PER_RADIAN = 180 / Math.PI;

export function checkOrigin(origin: unknown): LatLon {
  const candidate = origin as LatLon | null | undefined;
  // Within 80° of the equator the flat east–west projection over 105 m stays exact to millimetres.
  if (!isValidLatLon(candidate?.lat, candidate?.lon) || Math.abs(candidate!.lat) > 80) {
    throw new TouchlineError('TL_ERR_INVALID_ARGUMENT', 'origin must be { lat, lon } with lat within ±80° and lon within ±180°', {
      argument: 'origin',
    });
  }
  return { lat: candidate!.lat, lon: candidate!.lon };
}

/**
 * Pitch metres to latitude/longitude by the equirectangular projection about the origin
 * (Snyder 1987, USGS Professional Paper 1395, pp. 90–91), the inverse of core's `localOffset`.
 */
export function pitchToLatLon(origin: LatLon, point: PitchPoint): LatLon {
  const east = point.x - PITCH_LENGTH_M / 2;
  const north = point.y - PITCH_WIDTH_M / 2;
  return {
    lat: origin.lat + (north / EARTH_MEAN_RADIUS_M) * DEGREES_PER_RADIAN,
    lon: origin.lon + (east / (EARTH_MEAN_RADIUS_M * Math.cos(origin.lat / DEGREES_PER_RADIAN))) * DEGREES_PER_RADIAN,
  };
}
