import { describe, expect, it } from 'vitest';
import {
  DEFAULT_METABOLIC_CONVENTIONS,
  energyCost,
  equivalentMass,
  equivalentSlope,
  metabolicPower,
  steadyRunningCost,
  walkRunTransitionSpeed,
  type MetabolicConventions,
} from '../src/gnss/index.ts';

const osgnach2010: MetabolicConventions = { ...DEFAULT_METABOLIC_CONVENTIONS, metabolicModel: 'osgnach-2010' };
const diPrampero2018: MetabolicConventions = { ...DEFAULT_METABOLIC_CONVENTIONS, metabolicModel: 'di-prampero-2018' };

describe('Osgnach et al. 2010 model', () => {
  it('reproduces the worked table of reference §2.14 (g = 9.81, KT = 1.29)', () => {
    const table = { ...osgnach2010, gravity: 9.81 };
    const rows = [
      // v, a, ES, EM, EC, P — computed in the reference from the published polynomial
      [4, 0, 0, 1, 4.644, 18.576],
      [5, 2, 0.2039, 1.0206, 12.027, 60.13],
      [3, 3, 0.3058, 1.0457, 17.273, 51.82],
      [6, -2, -0.2039, 1.0206, 2.381, 14.29],
    ] as const;
    for (const [v, a, es, em, ec, p] of rows) {
      const slope = equivalentSlope(v, a, table);
      expect(slope).toBeCloseTo(es, 4);
      expect(equivalentMass(slope)).toBeCloseTo(em, 4);
      expect(energyCost(slope, v, table)).toBeCloseTo(ec, 3);
      expect(metabolicPower(v, a, table)).toBeCloseTo(p, 2);
    }
  });

  it('uses standard gravity by default', () => {
    // python3, same equations with g = 9.80665: 18.576, 60.151, 51.837, 14.288
    expect(metabolicPower(4, 0)).toBeCloseTo(18.576, 3);
    expect(metabolicPower(5, 2)).toBeCloseTo(60.151, 3);
    expect(metabolicPower(3, 3)).toBeCloseTo(51.837, 3);
    expect(metabolicPower(6, -2)).toBeCloseTo(14.288, 3);
  });

  it('scales with the terrain factor and turns steady running on grass into its own distance', () => {
    expect(metabolicPower(4, 0, { ...osgnach2010, terrainFactor: 1 })).toBeCloseTo(14.4, 9);
    expect(steadyRunningCost(osgnach2010)).toBeCloseTo(3.6 * 1.29, 12);
  });
});

describe('di Prampero & Osgnach 2018 model, against floodlight tests/test_models/test_kinetics.py', () => {
  // floodlight conftest fixtures; expected values are floodlight's, rounded to 3 dp (reference §3.7).
  const velocity = [[1, 0.1], [2.8, 5], [2.3, 2.3]];
  const acceleration = [[1.8, 4.9], [0.65, 1.1], [-0.5, -2.7]];
  const slope = [[0, 0.15], [-0.11, 0.2], [0.5, -0.5]];

  it('computes the equivalent slope with air resistance (_calc_es)', () => {
    const expected = [[0.184, 0.5], [0.069, 0.122], [-0.049, -0.273]];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        expect(equivalentSlope(velocity[i]![j]!, acceleration[i]![j]!, diPrampero2018)).toBeCloseTo(expected[i]![j]!, 3);
      }
    }
  });

  it('computes the walk–run transition speed (_calc_v_trans)', () => {
    const expected = [[2.27, 1.704], [2.285, 1.434], [1.044, 9.717]];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) expect(walkRunTransitionSpeed(slope[i]![j]!)).toBeCloseTo(expected[i]![j]!, 3);
    }
  });

  it('costs walking and running (_calc_ecl) and gives power as cost × speed (_calc_metabolic_power)', () => {
    // floodlight feeds a rounded EM fixture (1.011, 1.006, 1.02, 1.118); from ES exactly, EM differs in
    // the 4th digit, so costs agree to ±0.003 (python3 with exact EM: 8.963, 9.706, 22.626).
    const expectedCost = [[2.02, 8.962], [1.79, 9.708], [22.625, 3.013]];
    const expectedPower = [[2.02, 0.896], [5.011, 48.54], [52.038, 6.931]];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) {
        const cost = energyCost(slope[i]![j]!, velocity[i]![j]!, diPrampero2018);
        expect(Math.abs(cost - expectedCost[i]![j]!)).toBeLessThan(0.003);
        expect(Math.abs(cost * velocity[i]![j]! - expectedPower[i]![j]!)).toBeLessThan(0.003 * velocity[i]![j]! + 0.0005);
      }
    }
  });

  it('matches floodlight MetabolicPowerModel.fit on its 20 Hz XY fixture', () => {
    // Two players' (x, y) in metres at 20 Hz; floodlight differentiates with np.gradient (central,
    // one-sided at the ends) for speed, and again for acceleration.
    const xy = [
      [37.586, 10.144, 32.343, 7.752],
      [37.694, 10.144, 32.318, 7.731],
      [37.803, 10.145, 32.285, 7.708],
    ];
    const hz = 20;
    const gradient = (values: number[]) =>
      values.map((_, i) => {
        if (i === 0) return values[1]! - values[0]!;
        if (i === values.length - 1) return values[i]! - values[i - 1]!;
        return (values[i + 1]! - values[i - 1]!) / 2;
      });
    const expected = [[9.177, 4.452], [9.306, 4.988], [9.439, 5.57]];
    for (let player = 0; player < 2; player++) {
      const dx = gradient(xy.map((row) => row[2 * player]!));
      const dy = gradient(xy.map((row) => row[2 * player + 1]!));
      const speed = dx.map((d, i) => Math.hypot(d, dy[i]!) * hz);
      const accel = gradient(speed).map((d) => d * hz);
      speed.forEach((v, i) => expect(metabolicPower(v, accel[i]!, diPrampero2018)).toBeCloseTo(expected[i]![player]!, 3));
    }
  });

  it('uses the flat-ground constant for equivalent distance', () => {
    expect(steadyRunningCost(diPrampero2018)).toBe(3.6);
    expect(steadyRunningCost({ ...diPrampero2018, constantRunningCost: 4 })).toBe(4);
  });
});

describe('metabolic power input checks', () => {
  it('rejects non-finite or negative speed and non-finite acceleration', () => {
    expect(() => metabolicPower(Number.NaN, 0)).toThrow(expect.objectContaining({ code: 'TL_ERR_INVALID_ARGUMENT' }));
    expect(() => metabolicPower(-1, 0)).toThrow(/speed must be a finite number ≥ 0/);
    expect(() => metabolicPower(3, Number.POSITIVE_INFINITY)).toThrow(/acceleration/);
  });

  it('is zero for a standing athlete in both models', () => {
    expect(metabolicPower(0, 0)).toBe(0);
    expect(metabolicPower(0, 0, diPrampero2018)).toBe(0);
  });
});
