/**
 * Natural cubic spline interpolation (second derivative zero at both ends): the tridiagonal system
 * for the knot second derivatives solved by the Thomas algorithm, as in Burden & Faires, Numerical
 * Analysis (9th ed., 2011), §3.5, Algorithm 3.4. Equals scipy's `CubicSpline(x, y, bc_type='natural')`.
 */
export function naturalCubicSpline(x: readonly number[], y: readonly number[], at: readonly number[]): number[] {
  const n = x.length;
  const xi = (i: number) => x[i] as number;
  const yi = (i: number) => y[i] as number;
  const h = Array.from({ length: n - 1 }, (_, i) => xi(i + 1) - xi(i));
  const hi = (i: number) => h[i] as number;

  // Second derivatives M at the knots; M[0] = M[n−1] = 0.
  const m = new Float64Array(n);
  if (n > 2) {
    const diagonal = new Float64Array(n);
    const rhs = new Float64Array(n);
    for (let i = 1; i < n - 1; i++) {
      diagonal[i] = 2 * (hi(i - 1) + hi(i));
      rhs[i] = 6 * ((yi(i + 1) - yi(i)) / hi(i) - (yi(i) - yi(i - 1)) / hi(i - 1));
    }
    for (let i = 2; i < n - 1; i++) {
      const factor = hi(i - 1) / (diagonal[i - 1] as number);
      diagonal[i] = (diagonal[i] as number) - factor * hi(i - 1);
      rhs[i] = (rhs[i] as number) - factor * (rhs[i - 1] as number);
    }
    for (let i = n - 2; i >= 1; i--) {
      m[i] = ((rhs[i] as number) - hi(i) * (m[i + 1] as number)) / (diagonal[i] as number);
    }
  }

  const out: number[] = [];
  let segment = 0;
  for (const t of at) {
    while (segment < n - 2 && t > xi(segment + 1)) segment++;
    while (segment > 0 && t < xi(segment)) segment--;
    const width = hi(segment);
    const a = (xi(segment + 1) - t) / width;
    const b = (t - xi(segment)) / width;
    const m0 = m[segment] as number;
    const m1 = m[segment + 1] as number;
    out.push(a * yi(segment) + b * yi(segment + 1) + (((a ** 3 - a) * m0 + (b ** 3 - b) * m1) * width * width) / 6);
  }
  return out;
}
