/** The wall screen's grid: every athlete fits, at the largest tile size the screen allows. */
import { describe, expect, it } from 'vitest';
import { wallGrid } from '../src/lib/wall-layout.ts';

describe('wall layout', () => {
  it('fits 40 athletes on a 1080p screen in 7 × 6, the largest tiles', () => {
    // 1900 × 1000 px for tiles, 10 px gaps. 7 columns: (1900 − 60) / 7 = 262.9 px wide → 181.3 usable
    // at 1.45:1; 6 rows: (1000 − 50) / 6 = 158.3 px high → unit 158.3. 8 × 5 gives min(228.75 / 1.45,
    // 192) = 157.8, and 6 × 7 gives min(306.7 / 1.45, 135.7) = 135.7: both smaller.
    const grid = wallGrid(40, 1900, 1000, 10);
    expect(grid.columns).toBe(7);
    expect(grid.rows).toBe(6);
    expect(grid.unit).toBeCloseTo(950 / 6, 9);
  });

  it('gives one athlete the whole screen, bounded by the tile shape', () => {
    const grid = wallGrid(1, 1900, 1000, 10);
    expect(grid).toEqual({ columns: 1, rows: 1, unit: 1000 });
    expect(wallGrid(1, 1000, 1000, 10).unit).toBeCloseTo(1000 / 1.45, 9);
  });

  it('always leaves a cell for every athlete', () => {
    for (let n = 1; n <= 40; n++) {
      for (const [w, h] of [[1900, 1000], [1260, 640], [1000, 1800]] as const) {
        const grid = wallGrid(n, w, h, 10);
        expect(grid.columns * grid.rows).toBeGreaterThanOrEqual(n);
        expect(grid.columns * (grid.rows - 1)).toBeLessThan(n);
      }
    }
  });
});
