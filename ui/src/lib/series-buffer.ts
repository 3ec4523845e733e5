/**
 * Columns of a live chart (time in seconds plus one column per series), appended to as updates
 * arrive and trimmed to a sliding window. The chart redraws at most once per animation frame
 * however many points arrive, so a burst of updates costs one paint.
 */
export class SeriesBuffer {
  readonly xs: number[] = [];
  readonly ys: (number | null)[][];
  private readonly windowS: number;
  private listener: (() => void) | null = null;

  constructor(seriesCount: number, windowS: number) {
    this.ys = Array.from({ length: seriesCount }, () => []);
    this.windowS = windowS;
  }

  /** Replaces everything, e.g. with history loaded from the hub; points must be in time order. */
  load(points: { t: number; values: (number | null)[] }[]): void {
    this.xs.length = 0;
    for (const column of this.ys) column.length = 0;
    for (const point of points) this.append(point.t, point.values);
    this.trim();
    this.listener?.();
  }

  /** Adds one point (time in ms); a point older than the newest one is ignored. */
  push(t: number, values: (number | null)[]): void {
    const last = this.xs[this.xs.length - 1];
    if (last !== undefined && t / 1000 <= last) return;
    this.append(t, values);
    this.trim();
    this.listener?.();
  }

  private append(t: number, values: (number | null)[]): void {
    this.xs.push(t / 1000);
    this.ys.forEach((column, i) => column.push(values[i] ?? null));
  }

  private trim(): void {
    const newest = this.xs[this.xs.length - 1];
    if (newest === undefined) return;
    let drop = 0;
    while (drop < this.xs.length && (this.xs[drop] as number) < newest - this.windowS) drop++;
    if (drop === 0) return;
    this.xs.splice(0, drop);
    for (const column of this.ys) column.splice(0, drop);
  }

  get length(): number {
    return this.xs.length;
  }

  /** The chart subscribes here; one listener at a time. */
  subscribe(listener: (() => void) | null): void {
    this.listener = listener;
  }
}

export interface ChartSeries {
  label: string;
  stroke: string;
  unit?: string;
  /** Series on another scale get their own axis on the right. */
  scale?: string;
  width?: number;
}

/** A horizontal band painted beneath the lines, e.g. an HR zone. */
export interface Band {
  from: number;
  to: number;
  colour: string;
}
