/** The uplink bench's results: the shape of artifacts/bench/uplink.json, its targets and the printed report. */
import type { LoadResult } from './uplink-baselines.ts';
import type { CatchUpResult } from './uplink-catch-up.ts';
import type { FilledStore, SessionPlan } from './uplink-hub-store.ts';
import type { PortalResult, RequestRun } from './uplink-portal.ts';

export interface Target {
  name: string;
  value: string;
  pass: boolean | null;
}

export interface UplinkBenchResults {
  generatedAt: string;
  command: string;
  quick: boolean;
  machine: { cpus: string; cores: number; memoryGb: number; kernel: string; node: string; postgres: string; psql: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  session: SessionPlan & { hubStore: FilledStore };
  uplink: CatchUpResult;
  naive: LoadResult;
  copyCeiling: LoadResult;
  ratios: Ratios;
  portal: PortalResult;
  targets: Target[];
}

export interface Ratios {
  /** Throughput (rows/s) of the uplink over each baseline's: the targets. */
  uplinkOverNaive: number;
  uplinkOverCopy: number;
  /**
   * CPU per row of the whole path (uplink: hub + central + PostgreSQL; naive: the uploader +
   * PostgreSQL; \copy: psql + PostgreSQL), in µs, and the baseline's over the uplink's (above 1:
   * the uplink spends less CPU per row). CPU time moves far less than wall time when other work
   * shares the machine.
   */
  cpuUsPerRow: { uplink: number; naive: number; copy: number };
  naiveCpuOverUplink: number;
  copyCpuOverUplink: number;
}

const perRowUs = (cpuS: number, rows: number) => (cpuS / rows) * 1e6;

export function computeRatios(uplink: CatchUpResult, naive: LoadResult, copy: LoadResult): Ratios {
  const cpuUsPerRow = {
    uplink: perRowUs(uplink.cpuS.hub + uplink.cpuS.central + uplink.cpuS.postgres, uplink.committedRows),
    naive: perRowUs(naive.cpuS.client + naive.cpuS.postgres, naive.rows),
    copy: perRowUs(copy.cpuS.client + copy.cpuS.postgres, copy.rows),
  };
  return {
    uplinkOverNaive: uplink.rowsPerS / naive.rowsPerS,
    uplinkOverCopy: uplink.rowsPerS / copy.rowsPerS,
    cpuUsPerRow,
    naiveCpuOverUplink: cpuUsPerRow.naive / cpuUsPerRow.uplink,
    copyCpuOverUplink: cpuUsPerRow.copy / cpuUsPerRow.uplink,
  };
}

/** The targets. */
export const TARGET_OVER_NAIVE = 20;
export const TARGET_OVER_COPY = 0.5;

export function checkTargets(r: Pick<UplinkBenchResults, 'ratios'>): Target[] {
  return [
    { name: `uplink ≥ ${TARGET_OVER_NAIVE} × the naive uploader`, value: `${r.ratios.uplinkOverNaive.toFixed(1)} ×`, pass: r.ratios.uplinkOverNaive >= TARGET_OVER_NAIVE },
    { name: `uplink ≥ ${TARGET_OVER_COPY} × the \\copy ceiling`, value: `${r.ratios.uplinkOverCopy.toFixed(2)} ×`, pass: r.ratios.uplinkOverCopy >= TARGET_OVER_COPY },
  ];
}

const num = (v: number, digits = 0) => v.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }).replace(/,/g, ' ');

function runLine(label: string, run: RequestRun): string {
  const l = run.latencyMs;
  return `  ${label.padEnd(26)} ${String(run.requests).padStart(5)} ${(l.p50 ?? 0).toFixed(1).padStart(8)} ${(l.p99 ?? 0).toFixed(1).padStart(8)} ${(l.max ?? 0).toFixed(1).padStart(8)} ${run.requestsPerS.toFixed(1).padStart(8)}`;
}

export function renderReport(r: UplinkBenchResults): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push('', `Touchline uplink bench — ${m.cores} × ${m.cpus}, ${m.memoryGb} GB, Linux ${m.kernel}, Node ${m.node}, PostgreSQL ${m.postgres}${r.quick ? '  (QUICK RUN: a short session, not for the docs)' : ''}`);
  lines.push(`load average before ${m.loadAverageBefore.map((v) => v.toFixed(2)).join(' ')}, after ${m.loadAverageAfter.map((v) => v.toFixed(2)).join(' ')}`);

  const s = r.session;
  const streams = Object.entries(s.hubStore.byStream).map(([k, n]) => `${k} ${num(n)}`).join(', ');
  lines.push('', `Session: ${s.athletes} athletes × ${s.minutes} min, ${num(s.hubStore.readings)} readings (${streams}) in ${num(s.hubStore.blocks)} blocks, ${(s.hubStore.fileBytes / 1e6).toFixed(1)} MB hub store (written in ${s.hubStore.fillS.toFixed(1)} s)`);

  const u = r.uplink;
  lines.push('', 'Uplink: hub store → committed rows in central (raw_samples), against the same rows loaded two other ways');
  const row = (label: string, ...cells: string[]) => lines.push(`  ${label.padEnd(34)} ${cells.map((c, i) => c.padStart([10, 9, 9, 12, 10, 12][i]!)).join(' ')}`);
  const c = r.ratios.cpuUsPerRow;
  row('', 'rows', 's', 'rows/s', 'uplink/this', 'CPU µs/row', 'this/uplink');
  row('hub uplink → central', num(u.committedRows), u.elapsedS.toFixed(2), num(u.rowsPerS), '', c.uplink.toFixed(1), '');
  row('naive: INSERT per row, autocommit', num(r.naive.rows), r.naive.elapsedS.toFixed(2), num(r.naive.rowsPerS), `${r.ratios.uplinkOverNaive.toFixed(1)} ×`, c.naive.toFixed(1), `${r.ratios.naiveCpuOverUplink.toFixed(2)} ×`);
  row('ceiling: psql \\copy', num(r.copyCeiling.rows), r.copyCeiling.elapsedS.toFixed(2), num(r.copyCeiling.rowsPerS), `${r.ratios.uplinkOverCopy.toFixed(2)} ×`, c.copy.toFixed(1), `${r.ratios.copyCpuOverUplink.toFixed(2)} ×`);
  lines.push(`  catch-up of the ${s.athletes}-athlete ${s.minutes}-minute session: ${u.elapsedS.toFixed(1)} s in ${u.batches} batches of up to ${num(u.batchRows)} readings; ${num(u.committedRows)} of ${num(u.readings)} readings committed`);
  lines.push(`  CPU during catch-up (% of one core): hub ${u.cpu.hub.toFixed(0)}, central ${u.cpu.central.toFixed(0)}, PostgreSQL ${u.cpu.postgres.toFixed(0)}, whole machine ${u.cpu.machine.toFixed(0)}; peak RSS hub ${u.peakRssMb.hub.toFixed(0)} MB, central ${u.peakRssMb.central.toFixed(0)} MB`);
  const busy = u.cpu.machine - u.cpu.hub - u.cpu.central - u.cpu.postgres;
  if (busy > 20) lines.push(`  WARNING: other work used ${busy.toFixed(0)} % of a core during the catch-up; wall-clock figures are disturbed by it (CPU µs/row much less so).`);

  const p = r.portal;
  lines.push('', `Portal: a team's season view, GET ${p.path.replace(/[0-9a-f-]{36}/, ':id')}`);
  lines.push(`  ${p.seed.athletes} athletes, ${p.seed.days} days of daily loads (${num(p.seed.dailyRows)} rows), ${p.seed.sessions} sessions (${num(p.seed.sessionLoadRows)} athlete-session rows), seeded in ${p.seed.seedS.toFixed(1)} s`);
  if (p.status === 'waiting') {
    lines.push(`  not measured: ${p.reason}`);
  } else {
    lines.push(`  ${''.padEnd(26)} ${'reqs'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'req/s'.padStart(8)}   (answer ${(p.responseBytes / 1024).toFixed(0)} KiB)`);
    lines.push(runLine('one request at a time', p.sequential));
    lines.push(runLine(`${p.concurrent.clients} clients at once`, p.concurrent));
  }

  lines.push('', 'Targets');
  for (const t of r.targets) lines.push(`  ${t.name.padEnd(40)} ${t.value.padEnd(12)} ${t.pass === null ? 'n/a' : t.pass ? 'PASS' : 'FAIL'}`);
  return lines.join('\n');
}
