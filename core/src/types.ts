/** Shapes shared by every part of Touchline. Times are Unix milliseconds unless a name says otherwise. */

export type Sex = 'male' | 'female';

/** What the metric code needs to know about an athlete. */
export interface AthleteProfile {
  hrMax: number;
  hrRest: number;
  sex: Sex;
  massKg: number;
  ageYears?: number;
}

export interface HrSample {
  t: number;
  bpm: number;
  /** Beat-to-beat intervals in ms, oldest first, that ended since the previous sample. */
  rr?: number[];
}

export interface GnssFix {
  t: number;
  lat: number;
  lon: number;
  /** Speed over ground in m/s when the receiver reports it. */
  speed?: number;
  hdop?: number;
  sats?: number;
  altitude?: number;
}

/** Tri-axial acceleration in g. */
export interface AccelSample {
  t: number;
  x: number;
  y: number;
  z: number;
}
