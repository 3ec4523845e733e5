/**
 * Operator settings made in the UI (DESIGN.md: they live in the database, not in files): the
 * club and team name on the wall screen and the default HR zones and speed thresholds for
 * athletes without their own. Kept in memory, written through to the `settings` table first.
 */
import Value from 'typebox/value';
import { TouchlineError } from '@touchline/core/metrics';
import type { SettingsRepository } from '../repositories/settings.repository.ts';
import type { AthleteDefaults } from '../engine/engine.ts';
import { HubSettings, type SettingsPatch } from '../schemas/settings.schema.ts';

type SettingKey = keyof HubSettings;
const KEYS = Object.keys(HubSettings.properties) as SettingKey[];

export type SettingsListener = (settings: HubSettings, changed: SettingKey[]) => void;

function checkSettings(s: HubSettings): void {
  if (s.zones.some((z, i) => i > 0 && z <= s.zones[i - 1]!)) throw new TouchlineError('TL_ERR_VALIDATION', `zones must be strictly increasing, got ${s.zones.join(', ')}`);
  if (s.thresholds.sprint <= s.thresholds.hsr) {
    throw new TouchlineError('TL_ERR_VALIDATION', `the sprint threshold (${s.thresholds.sprint} m/s) must be above the high-speed running threshold (${s.thresholds.hsr} m/s)`);
  }
}

export class SettingsService {
  private readonly repo: SettingsRepository;
  private current: HubSettings = Value.Create(HubSettings);
  private readonly listeners: SettingsListener[] = [];

  constructor(repo: SettingsRepository) {
    this.repo = repo;
  }

  /**
   * Reads the stored values over the defaults. A stored value that no longer fits the schema (a
   * hand-edited database, a range tightened in a later version) falls back to its default
   * rather than keeping the hub from starting.
   */
  async load(): Promise<void> {
    const next = Value.Create(HubSettings);
    for (const row of await this.repo.listAll()) {
      const key = row.key as SettingKey;
      if (!KEYS.includes(key)) continue;
      let value: unknown;
      try {
        value = JSON.parse(row.value);
      } catch {
        continue;
      }
      if (Value.Check(HubSettings.properties[key], value)) Object.assign(next, { [key]: value });
    }
    try {
      checkSettings(next);
      this.current = next;
    } catch {
      this.current = { ...next, zones: Value.Create(HubSettings).zones, thresholds: Value.Create(HubSettings).thresholds };
    }
  }

  get(): HubSettings {
    return structuredClone(this.current);
  }

  athleteDefaults(): AthleteDefaults {
    return { zones: [...this.current.zones], thresholds: { ...this.current.thresholds } };
  }

  /** Told after every change, with the keys whose values changed. */
  onChange(listener: SettingsListener): void {
    this.listeners.push(listener);
  }

  /** Applies a schema-checked patch; returns the full settings and which keys actually changed. */
  async update(patch: SettingsPatch): Promise<{ settings: HubSettings; changed: SettingKey[] }> {
    const next: HubSettings = { ...this.current, ...structuredClone(patch) };
    checkSettings(next);
    const changed = KEYS.filter((key) => JSON.stringify(next[key]) !== JSON.stringify(this.current[key]));
    await this.repo.put(changed.map((key) => ({ key, value: JSON.stringify(next[key]) })));
    this.current = next;
    if (changed.length > 0) for (const listener of this.listeners) listener(this.get(), changed);
    return { settings: this.get(), changed };
  }
}
