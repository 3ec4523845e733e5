/**
 * Lays out the wall screen: the grid (columns × rows) that gives the largest tiles for the squad
 * on this screen. Tiles want to be about 1.45 times as wide as high (name above, big numbers
 * below); the usable size of a tile is its height when that fits, otherwise its width / 1.45.
 */
export interface WallGrid {
  columns: number;
  rows: number;
  /** Height available to one tile's content, px: the base for its font sizes. */
  unit: number;
}

const ASPECT = 1.45;

export function wallGrid(count: number, width: number, height: number, gap: number): WallGrid {
  const n = Math.max(1, count);
  let best: WallGrid = { columns: 1, rows: n, unit: 0 };
  for (let columns = 1; columns <= n; columns++) {
    const rows = Math.ceil(n / columns);
    const tileW = (width - gap * (columns - 1)) / columns;
    const tileH = (height - gap * (rows - 1)) / rows;
    const unit = Math.min(tileH, tileW / ASPECT);
    if (unit > best.unit) best = { columns, rows, unit };
  }
  return best;
}
