/** `touchline hrv FILE`: every HRV metric of an RR-interval file, after artifact correction unless told not to. */
import { TouchlineError } from '../errors.ts';
import { analyzeHrv, parseRrText, type TimeDomainConventions } from '../hrv/index.ts';
import { choiceOption, type Command } from './command.ts';

const usage = [
  'touchline hrv FILE [--no-correction] [--sd-ddof 1|0] [--pnn-denominator differences|intervals]',
  '                   [--mean-hr from-mean-rr|mean-of-beats] [--poincare rotated-axes|sdnn-sdsd-identity]',
  '                   [--format json|csv]',
  '  FILE: RR (or NN) intervals in ms, one per line, or a CSV with an rr column (rr, rr_ms, rri, nn or nni).',
  '  Defaults are Kubios conventions; --no-correction skips Lipponen–Tarvainen artifact correction.',
].join('\n');

export const hrvCommand: Command = {
  name: 'hrv',
  summary: 'HRV of an RR-interval file: time domain, Poincaré, VLF/LF/HF power, artifact correction',
  usage,
  options: {
    'no-correction': { type: 'boolean' },
    'sd-ddof': { type: 'string' },
    'pnn-denominator': { type: 'string' },
    'mean-hr': { type: 'string' },
    poincare: { type: 'string' },
  },
  async run(positionals, values, ctx) {
    if (positionals.length !== 1) {
      throw new TouchlineError('TL_ERR_CLI_USAGE', `touchline hrv takes one FILE, got ${positionals.length}\nusage: ${usage}`);
    }
    const file = positionals[0] as string;
    const timeDomain: TimeDomainConventions = {
      ddof: choiceOption(values, 'sd-ddof', ['1', '0'] as const, '1') === '1' ? 1 : 0,
      pnnDenominator: choiceOption(values, 'pnn-denominator', ['differences', 'intervals'] as const, 'differences'),
      meanHr: choiceOption(values, 'mean-hr', ['from-mean-rr', 'mean-of-beats'] as const, 'from-mean-rr'),
      poincare: choiceOption(values, 'poincare', ['rotated-axes', 'sdnn-sdsd-identity'] as const, 'rotated-axes'),
    };
    const parsed = parseRrText((await ctx.readFile(file)).toString('utf8'));
    const { nn, correction, timeDomain: td, frequencyDomain: fd, frequencyDomainSkipped } = analyzeHrv(parsed.rr, {
      correction: values['no-correction'] !== true,
      timeDomain,
    });

    return {
      kind: 'object',
      value: {
        file,
        n: td.n,
        duration_s: nn.reduce((sum, ms) => sum + ms, 0) / 1000,
        mean_rr_ms: td.meanRrMs,
        sdnn_ms: td.sdnnMs,
        rmssd_ms: td.rmssdMs,
        ln_rmssd: td.lnRmssd,
        sdsd_ms: td.sdsdMs,
        nn50: td.nn50,
        pnn50_pct: td.pnn50Pct,
        nn20: td.nn20,
        pnn20_pct: td.pnn20Pct,
        mean_hr_bpm: td.meanHrBpm,
        min_hr_bpm: td.minHrBpm,
        max_hr_bpm: td.maxHrBpm,
        sd1_ms: td.sd1Ms,
        sd2_ms: td.sd2Ms,
        vlf_ms2: fd?.vlfMs2 ?? null,
        lf_ms2: fd?.lfMs2 ?? null,
        hf_ms2: fd?.hfMs2 ?? null,
        lf_hf: fd?.lfHf ?? null,
        total_power_ms2: fd?.totalMs2 ?? null,
        lf_nu: fd?.lfNu ?? null,
        hf_nu: fd?.hfNu ?? null,
        frequency_domain_skipped: frequencyDomainSkipped,
        artifact_correction: correction
          ? {
              enabled: true,
              method: correction.method,
              input_n: correction.inputCount,
              output_n: correction.outputCount,
              count: correction.count,
              percent: correction.percent,
              passes: correction.passes,
              by_kind: correction.countsByKind,
              artifacts: correction.artifacts.map((a) => ({ index: a.index, line: parsed.lines[a.index], kind: a.kind, pass: a.pass })),
            }
          : { enabled: false, method: null, input_n: parsed.rr.length, output_n: parsed.rr.length },
        conventions: {
          sd_ddof: td.conventions.ddof,
          pnn_denominator: td.conventions.pnnDenominator,
          mean_hr: td.conventions.meanHr,
          poincare: td.conventions.poincare,
          nn50_rule: '|ΔRR| > 50 ms',
          frequency: fd
            ? {
                interpolation: fd.method.interpolation,
                resample_hz: fd.method.resampleHz,
                estimator: fd.method.estimator,
                window: fd.method.window,
                detrend: fd.method.detrend,
                segment_s: fd.method.segmentSamples / fd.method.resampleHz,
                overlap: fd.method.overlap,
                fft_samples: fd.method.fftSamples,
                segments: fd.method.segments,
                bands_hz: fd.method.bands,
              }
            : null,
        },
      },
    };
  },
};
