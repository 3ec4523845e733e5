/** The period and measure an analytics page shows, read from its address (see PeriodPicker.svelte). */
import { daysBefore, isDay, today } from './dates.ts';
import { MEASURES, type Measure } from './types.ts';

export interface Period {
  from: string;
  to: string;
  measure: Measure;
}

/** Four weeks up to today by default: one chronic window of the ACWR. */
export function periodOf(params: { get(name: string): string | null }): Period {
  const to = isDay(params.get('to') ?? '') ? params.get('to')! : today();
  const from = isDay(params.get('from') ?? '') ? params.get('from')! : daysBefore(to, 27);
  const raw = params.get('measure') ?? '';
  const measure = (MEASURES as readonly string[]).includes(raw) ? (raw as Measure) : 'srpe';
  return { from, to, measure };
}
