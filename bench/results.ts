/** The benchmark's results: the shape of artifacts/bench/ingest.json, ratios, targets and the printed table. */
import type { RestartResult } from './restart.ts';
import type { NaiveStoreResult } from './naive-store.ts';
import type { Saturation, StepResult } from './ingest-run.ts';
import type { HubStorage } from './storage.ts';

export interface StorageFigures {
  readings: number;
  /** Bytes of the sample data itself (table and indexes, SQLite's dbstat) per reading; null before any was stored. */
  dataBytesPerSample: number | null;
  /** Whole database file plus WAL per reading. */
  fileBytesPerSample: number;
  /** write_bytes of the writing process over the measured period. */
  writeBytes: number;
  periodS: number;
  writtenMbPerAthleteHour: number;
}

export interface StorageRatios {
  dataBytesPerSample: number | null;
  fileBytesPerSample: number | null;
  writtenMbPerAthleteHour: number | null;
}

export interface Target {
  name: string;
  value: string;
  pass: boolean | null;
}

export interface BenchResults {
  generatedAt: string;
  command: string;
  quick: boolean;
  machine: { cpus: string; cores: number; memoryGb: number; kernel: string; node: string; mosquitto: string; nodeRed: string; loadAverageBefore: number[]; loadAverageAfter: number[] };
  method: {
    seed: number;
    messagesPerAthletePerSecond: number;
    warmupS: number;
    at40S: number;
    rampStepS: number;
    drainS: number;
    sustained: { minDeliveredPct: number; maxP99Ms: number };
    refinements: number;
  };
  hub: { idleRssMb: number; at40: StepResult; saturation: Saturation; restart: RestartResult | null };
  peer: { at40: StepResult; saturation: Saturation };
  storage: {
    athletes: number;
    hub: StorageFigures & { compactedReadings: number; inboxReadings: number };
    /** One row per reading, no secondary index; and with the (athlete_id, stream, t) index. */
    naive: StorageFigures & { transactions: number };
    naiveIndexed: StorageFigures & { transactions: number };
    hubOverNaive: StorageRatios;
    hubOverNaiveIndexed: StorageRatios;
  };
  ratios: Record<string, number | null>;
  targets: Target[];
}

const MB = 1_000_000;

export function hubStorageFigures(storage: HubStorage, at40: StepResult, athletes: number): BenchResults['storage']['hub'] {
  const readings = storage.blockReadings + storage.inboxReadings;
  const writeBytes = at40.processes.hub!.writeBytes;
  return {
    readings,
    compactedReadings: storage.blockReadings,
    inboxReadings: storage.inboxReadings,
    // The compacted layout only: readings still in the inbox await the next compaction.
    dataBytesPerSample: storage.blockReadings > 0 ? storage.blockBytes / storage.blockReadings : null,
    fileBytesPerSample: storage.fileBytes / readings,
    writeBytes,
    periodS: at40.durationS,
    writtenMbPerAthleteHour: (writeBytes / at40.durationS) * 3600 / athletes / MB,
  };
}

export function naiveStorageFigures(naive: NaiveStoreResult, athletes: number): BenchResults['storage']['naive'] {
  const periodS = naive.spanMs / 1000;
  return {
    readings: naive.readings,
    transactions: naive.transactions,
    dataBytesPerSample: naive.readings > 0 ? naive.tableBytes / naive.readings : null,
    fileBytesPerSample: naive.fileBytes / naive.readings,
    writeBytes: naive.writeBytes,
    periodS,
    writtenMbPerAthleteHour: (naive.writeBytes / periodS) * 3600 / athletes / MB,
  };
}

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null => (a != null && b != null && b !== 0 ? a / b : null);

export function storageRatios(hub: StorageFigures, baseline: StorageFigures): StorageRatios {
  return {
    dataBytesPerSample: ratio(hub.dataBytesPerSample, baseline.dataBytesPerSample),
    fileBytesPerSample: ratio(hub.fileBytesPerSample, baseline.fileBytesPerSample),
    writtenMbPerAthleteHour: ratio(hub.writtenMbPerAthleteHour, baseline.writtenMbPerAthleteHour),
  };
}

export function computeRatios(hub: BenchResults['hub'], peer: BenchResults['peer']): Record<string, number | null> {
  return {
    saturationHubOverPeer: ratio(hub.saturation.offeredPerS, peer.saturation.offeredPerS),
    sustainedAt40HubOverPeer: ratio(hub.at40.sustainedPerS, peer.at40.sustainedPerS),
    p50At40HubOverPeer: ratio(hub.at40.latencyMs.p50, peer.at40.latencyMs.p50),
    p99At40HubOverPeer: ratio(hub.at40.latencyMs.p99, peer.at40.latencyMs.p99),
    maxAt40HubOverPeer: ratio(hub.at40.latencyMs.max, peer.at40.latencyMs.max),
    cpuAt40HubOverPeer: ratio(hub.at40.system.cpuPercent, peer.at40.system.cpuPercent),
    rssAt40HubOverPeer: ratio(hub.at40.system.peakRssMb, peer.at40.system.peakRssMb),
  };
}

export function checkTargets(results: Pick<BenchResults, 'hub' | 'peer' | 'ratios'>): Target[] {
  const p99 = results.hub.at40.latencyMs.p99;
  const saturation = results.ratios.saturationHubOverPeer ?? null;
  const rss = results.hub.at40.processes.hub!.peakRssMb;
  const lowerBound = results.hub.saturation.aboveLadder ? '≥ ' : '';
  const restart = results.hub.restart;
  return [
    { name: 'p99 publish → WebSocket at 40 athletes < 20 ms', value: p99 === null ? 'no updates' : `${p99} ms`, pass: p99 !== null && p99 < 20 },
    {
      name: 'hub saturation ≥ 10 × the peer\'s',
      value: saturation === null ? 'not measurable' : `${lowerBound}${saturation.toFixed(2)} ×`,
      pass: saturation === null ? null : saturation >= 10,
    },
    { name: 'hub RSS at 40 athletes < 150 MB', value: `${rss.toFixed(0)} MB peak`, pass: rss < 150 },
    {
      name: 'live again within 3 s of a kill -9',
      value: restart ? `${(restart.liveAfterMs / 1000).toFixed(2)} s` : 'not measured',
      pass: restart ? restart.liveAfterMs <= 3000 : null,
    },
  ];
}

const pad = (text: string, width: number) => text.padStart(width);
const num = (v: number | null | undefined, digits = 0) => (v == null ? '–' : v.toFixed(digits));

/** CPU the machine spent on work other than the system, the load generator and the bench itself, in % of one core. */
export function otherCpu(s: StepResult): number {
  return Math.max(0, s.machine.cpuPercent - s.system.cpuPercent - s.generator.cpuPercent - s.machine.benchCpuPercent);
}

export function stepLine(system: string, s: StepResult): string {
  return [
    system.padEnd(5),
    pad(`${s.athletes} × ${s.speedup}`, 9),
    pad(num(s.offeredPerS), 7),
    pad(num(s.sustainedPerS), 7),
    pad(`${num(s.deliveredPct, 1)} %`, 8),
    pad(num(s.latencyMs.p50), 6),
    pad(num(s.latencyMs.p99), 6),
    pad(num(s.latencyMs.max), 6),
    pad(num(s.system.cpuPercent), 6),
    pad(num(s.system.peakRssMb), 6),
    pad(num(s.generator.cpuPercent), 6),
    pad(num(s.generator.maxLagMs), 6),
    pad(num(otherCpu(s)), 6),
    `  ${s.sustained ? 'sustained' : `not sustained: ${s.shortfall}`}${s.accounting.rejected ? ` (${s.accounting.rejected} rejected)` : ''}`,
  ].join(' ');
}

export const STEP_HEADER = [
  'sys  ',
  pad('athl×spd', 9),
  pad('offer/s', 7),
  pad('deliv/s', 7),
  pad('deliv', 8),
  pad('p50 ms', 6),
  pad('p99 ms', 6),
  pad('max ms', 6),
  pad('CPU %', 6),
  pad('RSS MB', 6),
  pad('gen %', 6),
  pad('lag ms', 6),
  pad('other%', 6),
].join(' ');

export function renderReport(r: BenchResults): string {
  const lines: string[] = [];
  const row = (label: string, hub: string, peer: string, ratioText: string) => lines.push(`  ${label.padEnd(30)} ${pad(hub, 12)} ${pad(peer, 12)} ${pad(ratioText, 10)}`);
  const x = (v: number | null | undefined) => (v == null ? '–' : `${v.toFixed(2)} ×`);
  const h = r.hub.at40;
  const p = r.peer.at40;
  lines.push('', `Touchline bench — ${r.machine.cores} × ${r.machine.cpus}, ${r.machine.memoryGb} GB, Linux ${r.machine.kernel}, Node ${r.machine.node}${r.quick ? '  (QUICK RUN: short windows, not for the docs)' : ''}`);
  lines.push(`load average before ${r.machine.loadAverageBefore.map((v) => v.toFixed(2)).join(' ')}, after ${r.machine.loadAverageAfter.map((v) => v.toFixed(2)).join(' ')}`);
  lines.push('', `Ingest at 40 athletes, ${num(h.offeredPerS)} msg/s offered for ${h.durationS} s`);
  row('', 'hub', 'peer', 'hub/peer');
  row('delivered msg/s', num(h.sustainedPerS), num(p.sustainedPerS), x(r.ratios.sustainedAt40HubOverPeer));
  row('delivered %', num(h.deliveredPct, 1), num(p.deliveredPct, 1), '');
  row('live updates measured', String(h.liveUpdates), String(p.liveUpdates), '');
  row('p50 publish → WebSocket ms', num(h.latencyMs.p50), num(p.latencyMs.p50), x(r.ratios.p50At40HubOverPeer));
  row('p99 publish → WebSocket ms', num(h.latencyMs.p99), num(p.latencyMs.p99), x(r.ratios.p99At40HubOverPeer));
  row('max publish → WebSocket ms', num(h.latencyMs.max), num(p.latencyMs.max), x(r.ratios.maxAt40HubOverPeer));
  row('CPU % of one core', num(h.system.cpuPercent, 1), num(p.system.cpuPercent, 1), x(r.ratios.cpuAt40HubOverPeer));
  row('peak RSS MB', num(h.system.peakRssMb), num(p.system.peakRssMb), x(r.ratios.rssAt40HubOverPeer));
  lines.push(`  (hub RSS idle after start-up and setup, before any device: ${num(r.hub.idleRssMb)} MB; peer = Node-RED ${num(p.processes['node-red']?.peakRssMb)} MB + Mosquitto ${num(p.processes.mosquitto?.peakRssMb)} MB)`);
  lines.push('', `Saturation ramp (sustained: ≥ ${r.method.sustained.minDeliveredPct} % delivered and p99 ≤ ${r.method.sustained.maxP99Ms} ms)`, `  ${STEP_HEADER}`);
  for (const s of [r.hub.at40, ...r.hub.saturation.steps]) lines.push(`  ${stepLine('hub', s)}`);
  for (const s of [r.peer.at40, ...r.peer.saturation.steps]) lines.push(`  ${stepLine('peer', s)}`);
  const hubSteps = [r.hub.at40, ...r.hub.saturation.steps];
  const rejectedByCode: Record<string, number> = {};
  for (const s of hubSteps) for (const [code, n] of Object.entries(s.accounting.rejectedByCode)) rejectedByCode[code] = (rejectedByCode[code] ?? 0) + n;
  const rejected = Object.entries(rejectedByCode).map(([code, n]) => `${n} ${code}`).join(', ') || 'none';
  const stored = hubSteps.reduce((sum, s) => sum + (s.accounting.stored ?? 0), 0);
  const acknowledged = hubSteps.reduce((sum, s) => sum + s.generator.acknowledged, 0);
  lines.push(`  hub cross-check over its steps: ${stored} readings stored (warm-ups included), ${acknowledged} acknowledged in windows; rejected: ${rejected}`);
  const sat = (s: Saturation) => (s.offeredPerS === null ? 'none sustained' : `${s.aboveLadder ? '≥ ' : ''}${num(s.offeredPerS)} msg/s`);
  lines.push(`  saturation: hub ${sat(r.hub.saturation)}, peer ${sat(r.peer.saturation)}, hub/peer ${x(r.ratios.saturationHubOverPeer)}`);
  const st = r.storage;
  lines.push('', `Storage, ${st.athletes} athletes: the hub's ${st.hub.readings} readings (${num(st.hub.periodS)} s of writes), and the same readings one row each`);
  const srow = (label: string, ...cells: string[]) => lines.push(`  ${label.padEnd(30)} ${cells.map((c) => pad(c, 11)).join(' ')}`);
  srow('', 'hub', 'naive', 'hub/naive', 'naive+index', 'hub/n+i');
  const figures = [
    ['bytes per sample (data)', 'dataBytesPerSample', 1],
    ['bytes per sample (whole file)', 'fileBytesPerSample', 1],
    ['MB written per athlete-hour', 'writtenMbPerAthleteHour', 2],
  ] as const;
  for (const [label, key, digits] of figures) {
    srow(label, num(st.hub[key], digits), num(st.naive[key], digits), x(st.hubOverNaive[key]), num(st.naiveIndexed[key], digits), x(st.hubOverNaiveIndexed[key]));
  }
  const steps = [r.hub.at40, ...r.hub.saturation.steps, r.peer.at40, ...r.peer.saturation.steps];
  const busiest = Math.max(...steps.map(otherCpu));
  lines.push(
    '',
    'Columns: CPU % (of one core) and RSS of the system (hub; Node-RED + Mosquitto); gen % and lag ms: the load generator\'s CPU and',
    'its worst delay behind schedule; other%: CPU the rest of the machine used.',
    busiest > 20 ? `WARNING: other work used up to ${busiest.toFixed(0)} % of a core during a window; the figures are disturbed by it.` : 'Other work on the machine stayed under 20 % of a core in every window.',
  );
  if (r.hub.restart) {
    const x = r.hub.restart;
    lines.push('', `Restart after kill -9 (one device publishing every 100 ms; ${x.readingsStoredBefore ?? '?'} readings stored before the crash)`);
    lines.push(`  API answering ${num(x.answeredAfterMs)} ms, device live on the screen again ${num(x.liveAfterMs)} ms after the new process started`);
  }
  lines.push('', 'Targets');
  for (const t of r.targets) lines.push(`  ${t.name.padEnd(48)} ${t.value.padEnd(18)} ${t.pass === null ? 'n/a' : t.pass ? 'PASS' : 'FAIL'}`);
  return lines.join('\n');
}
