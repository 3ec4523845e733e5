/**
 * In-place iterative radix-2 decimation-in-time FFT (Cooley & Tukey 1965, "An algorithm for the
 * machine calculation of complex Fourier series", Math Comp 19(90):297–301): bit-reversal permutation,
 * then log2(n) butterfly stages. Computes X[k] = Σ x[t]·e^(−2πikt/n), numpy's sign convention.
 */
export function fftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n !== im.length || n === 0 || (n & (n - 1)) !== 0) throw new RangeError(`FFT length must be a power of two, got ${n}`);

  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }

  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const angle = (-2 * Math.PI) / size;
    for (let k = 0; k < half; k++) {
      const wRe = Math.cos(angle * k);
      const wIm = Math.sin(angle * k);
      for (let start = 0; start < n; start += size) {
        const a = start + k;
        const b = a + half;
        const bRe = re[b] as number;
        const bIm = im[b] as number;
        const tRe = wRe * bRe - wIm * bIm;
        const tIm = wRe * bIm + wIm * bRe;
        const aRe = re[a] as number;
        const aIm = im[a] as number;
        re[a] = aRe + tRe;
        im[a] = aIm + tIm;
        re[b] = aRe - tRe;
        im[b] = aIm - tIm;
      }
    }
  }
}

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p <<= 1;
  return p;
}
