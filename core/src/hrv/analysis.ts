/** One call for a whole recording: artifact correction, then time- and frequency-domain HRV of the NN series. */
import { isTouchlineError } from '../errors.ts';
import { correctArtifacts, type ArtifactCorrection, type ArtifactParameters } from './artifacts.ts';
import { hrvFrequencyDomain, type FrequencyDomainOptions, type FrequencyDomainResult } from './frequency-domain.ts';
import { assertRrIntervals } from './rr-intervals.ts';
import { hrvTimeDomain, TIME_DOMAIN_MIN_INTERVALS, type TimeDomainConventions, type TimeDomainResult } from './time-domain.ts';

export interface HrvAnalysisOptions {
  /** Lipponen–Tarvainen correction, on by default; false analyses the intervals as given. */
  correction: boolean | Partial<ArtifactParameters>;
  timeDomain: Partial<TimeDomainConventions>;
  frequencyDomain: Partial<FrequencyDomainOptions>;
}

export interface HrvAnalysis {
  /** The intervals the metrics describe: corrected, or the input when correction is off. */
  nn: number[];
  correction: ArtifactCorrection | null;
  timeDomain: TimeDomainResult;
  /** Null when the recording is too short for a spectrum; `frequencyDomainSkipped` says why. */
  frequencyDomain: FrequencyDomainResult | null;
  frequencyDomainSkipped: string | null;
}

export function analyzeHrv(rr: readonly number[], options: Partial<HrvAnalysisOptions> = {}): HrvAnalysis {
  assertRrIntervals(rr, TIME_DOMAIN_MIN_INTERVALS);
  const { correction: correctionOption = true } = options;
  const correction = correctionOption === false ? null : correctArtifacts(rr, correctionOption === true ? {} : correctionOption);
  const nn = correction ? correction.nn : [...rr];
  const timeDomain = hrvTimeDomain(nn, options.timeDomain);
  let frequencyDomain: FrequencyDomainResult | null = null;
  let frequencyDomainSkipped: string | null = null;
  try {
    frequencyDomain = hrvFrequencyDomain(nn, options.frequencyDomain);
  } catch (err) {
    if (!isTouchlineError(err) || err.code !== 'TL_ERR_TOO_FEW_SAMPLES') throw err;
    frequencyDomainSkipped = err.message;
  }
  return { nn, correction, timeDomain, frequencyDomain, frequencyDomainSkipped };
}
