/** Heart-rate variability from RR intervals: batch metrics, artifact correction, readiness and live RMSSD. */
export * from './rr-intervals.ts';
export * from './time-domain.ts';
export * from './artifacts.ts';
export * from './frequency-domain.ts';
export * from './readiness.ts';
export * from './rmssd-stream.ts';
export * from './analysis.ts';
export { fftInPlace, nextPowerOfTwo } from './fft.ts';
export { naturalCubicSpline } from './cubic-spline.ts';
