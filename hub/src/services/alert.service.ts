/**
 * Alerts: admin-configured rules, evaluated once a second over the engine's live state (never per
 * reading, so the ingest path pays nothing for them). Each rule keeps a small state per athlete
 * (or per athlete and sensor) so a condition raises ONE alert when it becomes true and is re-armed
 * only once it has cleared, with a margin where readings jitter around a threshold. Durations are
 * measured in reading time (`t` of the live state), not wall time, so replays and tests behave the
 * same as a live session. Raised alerts are logged, pushed to every screen and kept in memory until
 * acknowledged, so the live snapshot can show them without touching the disk.
 */
import { TouchlineError } from '@touchline/core/metrics';
import { Compile } from 'typebox/compile';
import type { AlertRepository } from '../repositories/alert.repository.ts';
import type { AlertRulesTable, AlertsTable } from '../store/tables.ts';
import type { LiveAthlete } from '../engine/engine.ts';
import { RULE_KINDS, RULE_PARAMS, type AlertRuleView, type AlertView, type LoadMetric, type RuleKind, type RuleParams } from '../schemas/alert.schema.ts';
import { newId } from './secrets.ts';

/** hr-above re-arms only once HR is this many %HRmax points below the threshold. */
export const HR_CLEAR_MARGIN = 2;
/** speed-above re-arms only once speed is this many m/s below the threshold (GNSS speed jitters). */
export const SPEED_CLEAR_MARGIN_MS = 0.5;
/** battery-low re-arms only once the battery is this many points above the threshold (a swap or a charge). */
export const BATTERY_CLEAR_MARGIN = 5;
/** Unacknowledged alerts kept for the live snapshot; older ones stay in the log and can still be acknowledged. */
const MAX_ACTIVE_IN_MEMORY = 200;

/** A rule with params typed by its kind. */
type Rule = { [K in RuleKind]: { id: string; kind: K; params: RuleParams<K>; enabled: boolean; createdAt: number } }[RuleKind];

type RuleParamsInput = Record<string, number | string>;

/** What alerts need to know of a sensor (the roster's view of it). */
export interface AlertSensor {
  id: string;
  label: string | null;
  batteryPct: number | null;
  athleteId: string | null;
}

export interface AlertServiceDeps {
  repo: AlertRepository;
  /** Every athlete's live state (the engine's `all()`). */
  athletes: () => readonly LiveAthlete[];
  /** Every sensor with its pairing and battery (the roster's `list()`). */
  sensors: () => readonly AlertSensor[];
  /** The running session, if any, so alerts can be reviewed with it. */
  currentSessionId: () => string | null;
  /** Tells every screen about a new or acknowledged alert. */
  publish: (alert: AlertView) => void;
  now?: () => number;
}

/** The default rule set created on the hub's first start. */
const DEFAULT_RULES: { kind: RuleKind; params: RuleParamsInput }[] = [
  { kind: 'hr-above', params: { percentHrMax: 95, seconds: 30 } },
  { kind: 'sensor-lost', params: {} },
  { kind: 'battery-low', params: { percent: 15 } },
  { kind: 'store-full', params: {} },
];

const LOAD_METRIC: Record<LoadMetric, { label: string; unit: string; of: (a: LiveAthlete) => number }> = {
  distance: { label: 'distance', unit: ' m', of: (a) => a.gnss.distanceM },
  'high-speed-running': { label: 'high-speed running', unit: ' m', of: (a) => a.gnss.highSpeedRunningM },
  'sprint-efforts': { label: 'sprint efforts', unit: '', of: (a) => a.gnss.sprintEfforts },
  'player-load': { label: 'PlayerLoad', unit: '', of: (a) => a.playerLoad },
  'banister-trimp': { label: 'TRIMP (Banister)', unit: '', of: (a) => a.hr.banisterTrimp },
};

const PARAM_CHECKERS = Object.fromEntries(RULE_KINDS.map((kind) => [kind, Compile(RULE_PARAMS[kind])])) as {
  [K in RuleKind]: ReturnType<typeof Compile<(typeof RULE_PARAMS)[K]>>;
};

/** Checks params against the shape of the rule's kind, naming the offending field. */
function checkParams<K extends RuleKind>(kind: K, params: unknown): RuleParams<K> {
  const checker = PARAM_CHECKERS[kind];
  if (checker.Check(params)) return params as RuleParams<K>;
  const [first] = checker.Errors(params);
  let field = `params${first?.instancePath.replaceAll('/', '.') ?? ''}`;
  let problem = first?.message ?? 'is invalid';
  if (first?.keyword === 'required') {
    field += `.${(first.params as { requiredProperties: string[] }).requiredProperties[0]}`;
    problem = 'is required';
  } else if (first?.keyword === 'additionalProperties') {
    field += `.${(first.params as { additionalProperties: string[] }).additionalProperties[0]}`;
    problem = `is not a parameter of ${kind} rules`;
  } else if (first?.keyword === 'boolean') {
    problem = `is not a parameter of ${kind} rules`;
  } else if (first?.keyword === 'enum') {
    problem = `must be one of ${(first.params as { allowedValues: string[] }).allowedValues.join(', ')}`;
  }
  throw new TouchlineError('TL_ERR_VALIDATION', `${kind} rule: ${field} ${problem}`, { field, kind });
}

function round(n: number, digits = 1): string {
  return String(Math.round(n * 10 ** digits) / 10 ** digits);
}

function ruleSummary(rule: Rule): string {
  switch (rule.kind) {
    case 'hr-above':
      return `HR above ${round(rule.params.percentHrMax)} % HRmax for ${rule.params.seconds} s`;
    case 'sensor-lost':
      return 'Sensor signal lost';
    case 'battery-low':
      return `Sensor battery below ${rule.params.percent} %`;
    case 'speed-above':
      return `Speed above ${round(rule.params.speed)} m/s`;
    case 'load-reached': {
      const metric = LOAD_METRIC[rule.params.metric];
      return `Session ${metric.label} reaches ${round(rule.params.value)}${metric.unit}`;
    }
    case 'store-full':
      return 'Sample store full';
  }
}

function athleteLabel(a: LiveAthlete): string {
  return a.number !== null ? `#${a.number} ${a.name}` : a.name;
}

function sensorLabel(s: AlertSensor): string {
  return s.label ? `${s.label} (${s.id})` : s.id;
}

/** One athlete (or athlete and sensor) as one rule sees it at one tick. */
interface Observation {
  key: string;
  athlete: LiveAthlete;
  sensorId: string | null;
  /** The condition is true now. */
  holds: boolean;
  /** Far enough from the threshold that the next crossing counts as new. */
  clears: boolean;
  /** Reading time (Unix ms) of this observation. */
  t: number;
  /** How long the condition must hold, in reading time, before it raises. */
  holdMs: number;
  message: () => string;
}

interface ConditionState {
  /** Reading time at which the condition was first seen holding without a break. */
  since: number | null;
  raised: boolean;
}

function* observe(rule: Rule, athletes: readonly LiveAthlete[], sensorsByAthlete: Map<string, AlertSensor[]>): Generator<Observation> {
  switch (rule.kind) {
    case 'hr-above': {
      const { percentHrMax, seconds } = rule.params;
      for (const a of athletes) {
        const pct = a.hr.percentHrMax;
        yield {
          key: a.id,
          athlete: a,
          sensorId: null,
          holds: pct !== null && pct > percentHrMax,
          clears: pct === null || pct < percentHrMax - HR_CLEAR_MARGIN,
          t: a.t ?? 0,
          holdMs: seconds * 1000,
          message: () => `${athleteLabel(a)}: HR above ${round(percentHrMax)} % HRmax for ${seconds} s (now ${a.hr.bpm} bpm)`,
        };
      }
      return;
    }
    case 'sensor-lost':
      for (const a of athletes) {
        const sensors = sensorsByAthlete.get(a.id) ?? [];
        yield {
          key: a.id,
          athlete: a,
          sensorId: sensors.length === 1 ? sensors[0]!.id : null,
          holds: a.signal === 'lost',
          // Only a new reading leaves 'lost', so any other state means the sensor came back.
          clears: a.signal !== 'lost',
          t: a.t ?? 0,
          holdMs: 0,
          message: () => `${athleteLabel(a)}: signal lost${sensors.length ? ` from ${sensors.map(sensorLabel).join(', ')}` : ''}; check the strap and that they are in range`,
        };
      }
      return;
    case 'battery-low': {
      const { percent } = rule.params;
      for (const a of athletes) {
        for (const s of sensorsByAthlete.get(a.id) ?? []) {
          if (s.batteryPct === null) continue;
          const pct = s.batteryPct;
          yield {
            key: `${a.id}\u0000${s.id}`,
            athlete: a,
            sensorId: s.id,
            holds: pct < percent,
            clears: pct >= percent + BATTERY_CLEAR_MARGIN,
            t: a.t ?? 0,
            holdMs: 0,
            message: () => `${athleteLabel(a)}: battery of ${sensorLabel(s)} at ${pct} % (below ${percent} %); swap or charge it`,
          };
        }
      }
      return;
    }
    case 'speed-above': {
      const { speed } = rule.params;
      for (const a of athletes) {
        yield {
          key: a.id,
          athlete: a,
          sensorId: null,
          holds: a.gnss.speed > speed,
          clears: a.gnss.speed < speed - SPEED_CLEAR_MARGIN_MS,
          t: a.t ?? 0,
          holdMs: 0,
          message: () => `${athleteLabel(a)}: speed ${round(a.gnss.speed)} m/s, above ${round(speed)} m/s`,
        };
      }
      return;
    }
    case 'load-reached': {
      const { metric, value } = rule.params;
      const { label, unit, of } = LOAD_METRIC[metric];
      for (const a of athletes) {
        const total = of(a);
        yield {
          key: a.id,
          athlete: a,
          sensorId: null,
          holds: total >= value,
          // Totals only fall when a new session restarts them; that re-arms the rule.
          clears: total < value,
          t: a.t ?? 0,
          holdMs: 0,
          message: () => `${athleteLabel(a)}: session ${label} reached ${round(value)}${unit} (now ${round(total)}${unit})`,
        };
      }
      return;
    }
    case 'store-full':
      // Raised by storeFull(), when the sample store reports it.
      return;
  }
}

function ruleFromRow(row: AlertRulesTable): Rule {
  return { id: row.id, kind: row.kind as RuleKind, params: JSON.parse(row.params) as never, enabled: row.enabled === 1, createdAt: row.created_at };
}

function alertFromRow(row: AlertsTable): AlertView {
  return {
    id: row.id,
    ruleId: row.rule_id,
    kind: row.kind as RuleKind,
    athleteId: row.athlete_id,
    sensorId: row.sensor_id,
    sessionId: row.session_id,
    message: row.message,
    raisedAt: row.raised_at,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
  };
}

interface NewAlert {
  rule: Rule;
  athleteId: string | null;
  sensorId: string | null;
  message: string;
}

export class AlertService {
  private readonly deps: AlertServiceDeps;
  private readonly now: () => number;
  private readonly rules = new Map<string, Rule>();
  /** Rule id → subject key → state; only subjects holding or raised are kept. */
  private conditions = new Map<string, Map<string, ConditionState>>();
  /** Unacknowledged alerts, oldest first. */
  private readonly active = new Map<string, AlertView>();
  private timer: NodeJS.Timeout | undefined;
  /** Alerts being written, so stop() can let them finish before the database closes. */
  private readonly writing = new Set<Promise<unknown>>();
  /** Ticks run one after another, so a tick sees every alert earlier ticks raised already written. */
  private previousTick: Promise<unknown> = Promise.resolve();

  constructor(deps: AlertServiceDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
  }

  /** Loads rules (creating the default set on first start) and the unacknowledged alerts. */
  async load(): Promise<void> {
    const createdAt = this.now();
    await this.deps.repo.createDefaultRulesOnce(
      // One millisecond apart, so they list in this order.
      DEFAULT_RULES.map((r, i) => ({ id: newId(), kind: r.kind, params: JSON.stringify(checkParams(r.kind, r.params)), enabled: 1, created_at: createdAt + i })),
      createdAt,
    );
    this.rules.clear();
    for (const row of await this.deps.repo.listRules()) this.rules.set(row.id, ruleFromRow(row));
    this.active.clear();
    const unacknowledged = await this.deps.repo.listAlerts({ activeOnly: true, limit: MAX_ACTIVE_IN_MEMORY });
    for (const row of unacknowledged.reverse()) this.active.set(row.id, alertFromRow(row));
  }

  start(): void {
    this.timer = setInterval(() => this.track(this.evaluate()), 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.writing);
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((err: unknown) => this.reportError(err)).finally(() => this.writing.delete(tracked));
    this.writing.add(tracked);
  }

  /** One evaluation tick over the live state, after any tick still writing; returns the alerts it raised. */
  evaluate(): Promise<AlertView[]> {
    const tick = this.previousTick.then(() => this.evaluateNow());
    this.previousTick = tick.catch(() => undefined);
    return tick;
  }

  private async evaluateNow(): Promise<AlertView[]> {
    const athletes = this.deps.athletes();
    const sensorsByAthlete = new Map<string, AlertSensor[]>();
    for (const sensor of this.deps.sensors()) {
      if (sensor.athleteId === null) continue;
      const list = sensorsByAthlete.get(sensor.athleteId);
      if (list) list.push(sensor);
      else sensorsByAthlete.set(sensor.athleteId, [sensor]);
    }

    // State changes happen here, synchronously, before any alert is written.
    const raised: NewAlert[] = [];
    const next = new Map<string, Map<string, ConditionState>>();
    for (const rule of this.rules.values()) {
      if (!rule.enabled) continue;
      const previous = this.conditions.get(rule.id);
      const states = new Map<string, ConditionState>();
      for (const o of observe(rule, athletes, sensorsByAthlete)) {
        const state = previous?.get(o.key) ?? { since: null, raised: false };
        if (o.clears) state.raised = false;
        if (!o.holds) {
          state.since = null;
        } else {
          state.since ??= o.t;
          if (!state.raised && o.t - state.since >= o.holdMs) {
            state.raised = true;
            raised.push({ rule, athleteId: o.athlete.id, sensorId: o.sensorId, message: o.message() });
          }
        }
        if (state.raised || state.since !== null) states.set(o.key, state);
      }
      next.set(rule.id, states);
    }
    this.conditions = next;
    return Promise.all(raised.map((a) => this.raise(a)));
  }

  /** The sample store hit its disk cap (it reports this once per run). */
  storeFull(): void {
    for (const rule of this.rules.values()) {
      if (rule.kind !== 'store-full' || !rule.enabled) continue;
      const message = 'Sample store full: raw readings are no longer recorded. Free disk space (export and delete old data) or raise store.maxDiskMegabytes.';
      this.track(this.raise({ rule, athleteId: null, sensorId: null, message }));
    }
  }

  private async raise({ rule, athleteId, sensorId, message }: NewAlert): Promise<AlertView> {
    const alert: AlertView = {
      id: newId(),
      ruleId: rule.id,
      kind: rule.kind,
      athleteId,
      sensorId,
      sessionId: this.deps.currentSessionId(),
      message,
      raisedAt: this.now(),
      acknowledgedAt: null,
      acknowledgedBy: null,
    };
    await this.deps.repo.insertAlert({
      id: alert.id,
      rule_id: alert.ruleId,
      kind: alert.kind,
      session_id: alert.sessionId,
      athlete_id: alert.athleteId,
      sensor_id: alert.sensorId,
      message: alert.message,
      raised_at: alert.raisedAt,
      acknowledged_at: null,
      acknowledged_by: null,
    });
    this.active.set(alert.id, alert);
    if (this.active.size > MAX_ACTIVE_IN_MEMORY) this.active.delete(this.active.keys().next().value!);
    this.deps.publish(alert);
    return alert;
  }

  /** Background ticks have no caller to throw to; a failed write must still be visible in the log. */
  private reportError(err: unknown): void {
    console.error('touchline: an alert could not be recorded', err);
  }

  /** Unacknowledged alerts, newest first, for the live snapshot. */
  activeAlerts(): AlertView[] {
    return [...this.active.values()].reverse();
  }

  async list(filter: { active?: boolean; sessionId?: string; limit?: number }): Promise<AlertView[]> {
    const rows = await this.deps.repo.listAlerts({ activeOnly: filter.active ?? false, limit: filter.limit ?? 100, ...(filter.sessionId !== undefined ? { sessionId: filter.sessionId } : {}) });
    return rows.map(alertFromRow);
  }

  async acknowledge(id: string, by: string): Promise<AlertView> {
    const row = await this.deps.repo.findAlert(id);
    if (!row) throw new TouchlineError('TL_ERR_NOT_FOUND', `No alert "${id}"`);
    const already = (r: AlertsTable) =>
      new TouchlineError('TL_ERR_CONFLICT', `Alert "${id}" was already acknowledged by ${r.acknowledged_by ?? 'someone'} at ${new Date(r.acknowledged_at ?? 0).toISOString()}`);
    if (row.acknowledged_at !== null) throw already(row);
    const at = this.now();
    if (!(await this.deps.repo.acknowledge(id, at, by))) {
      // Someone else acknowledged it between our read and our write.
      throw already((await this.deps.repo.findAlert(id)) ?? row);
    }
    const alert = { ...alertFromRow(row), acknowledgedAt: at, acknowledgedBy: by };
    this.active.delete(id);
    this.deps.publish(alert);
    return alert;
  }

  listRules(): AlertRuleView[] {
    return [...this.rules.values()].map((r) => this.view(r));
  }

  getRule(id: string): AlertRuleView {
    return this.view(this.rule(id));
  }

  async createRule(input: { kind: RuleKind; params: unknown; enabled?: boolean }): Promise<AlertRuleView> {
    const rule = { id: newId(), kind: input.kind, params: checkParams(input.kind, input.params), enabled: input.enabled ?? true, createdAt: this.now() } as Rule;
    await this.deps.repo.insertRule({ id: rule.id, kind: rule.kind, params: JSON.stringify(rule.params), enabled: rule.enabled ? 1 : 0, created_at: rule.createdAt });
    this.rules.set(rule.id, rule);
    return this.view(rule);
  }

  /** Changes params or enables/disables a rule; its conditions start afresh. */
  async updateRule(id: string, changes: { params?: unknown; enabled?: boolean }): Promise<AlertRuleView> {
    const current = this.rule(id);
    const params = changes.params === undefined ? current.params : checkParams(current.kind, changes.params);
    const next = { ...current, params, enabled: changes.enabled ?? current.enabled } as Rule;
    await this.deps.repo.updateRule(id, { params: JSON.stringify(next.params), enabled: next.enabled ? 1 : 0 });
    this.rules.set(id, next);
    this.conditions.delete(id);
    return this.view(next);
  }

  /** Deletes a rule; the alerts it raised stay in the log. */
  async deleteRule(id: string): Promise<void> {
    this.rule(id);
    await this.deps.repo.deleteRule(id);
    this.rules.delete(id);
    this.conditions.delete(id);
  }

  private rule(id: string): Rule {
    const rule = this.rules.get(id);
    if (!rule) throw new TouchlineError('TL_ERR_NOT_FOUND', `No alert rule "${id}"`);
    return rule;
  }

  private view(rule: Rule): AlertRuleView {
    return { id: rule.id, kind: rule.kind, params: rule.params as RuleParamsInput, enabled: rule.enabled, createdAt: rule.createdAt, summary: ruleSummary(rule) };
  }
}
