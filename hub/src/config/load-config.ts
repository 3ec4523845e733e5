/**
 * Reads, merges and validates the hub configuration. This is the only module that reads
 * process.env: everything else receives a typed HubConfig.
 */
import { readFileSync } from 'node:fs';
import { Compile } from 'typebox/compile';
import Value from 'typebox/value';
import { parse as parseYaml } from 'yaml';
import { TouchlineError } from '@touchline/core/metrics';
import { HubConfigSchema, type HubConfig } from './config.schema.ts';

const checker = Compile(HubConfigSchema);

type Json = Record<string, unknown>;

function envName(section: string, key: string): string {
  return `TOUCHLINE_${section}_${key}`.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Applies TOUCHLINE_<SECTION>_<KEY> variables, coercing each to the type its schema declares. */
function applyEnv(config: Json, env: NodeJS.ProcessEnv): void {
  for (const [section, sectionSchema] of Object.entries(HubConfigSchema.properties)) {
    for (const [key, keySchema] of Object.entries((sectionSchema as { properties: Json }).properties)) {
      const raw = env[envName(section, key)];
      if (raw === undefined) continue;
      const type = (keySchema as { type?: string }).type;
      let value: unknown = raw;
      if (type === 'integer' || type === 'number') value = raw.trim() === '' ? raw : Number(raw);
      if (type === 'boolean') value = raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
      const target = (config[section] ??= {}) as Json;
      target[key] = value;
    }
  }
}

/** Validates a plain object (already merged) and fills defaults; names the first offending key. */
export function resolveConfig(input: unknown): HubConfig {
  const withDefaults = Value.Default(HubConfigSchema, structuredClone(input ?? {}));
  if (!checker.Check(withDefaults)) {
    const errors = [...checker.Errors(withDefaults)].map((e) => {
      const extra = e.keyword === 'additionalProperties' ? (e.params as { additionalProperties?: string[] }).additionalProperties : undefined;
      const key = [e.instancePath.slice(1).replaceAll('/', '.'), ...(extra ?? [])].filter(Boolean).join('.');
      // TypeBox reports an unknown key twice: as the parent's additionalProperties and as the key's `false` schema.
      const unknownKey = e.keyword === 'additionalProperties' || e.keyword === 'boolean';
      return { key: key || '(root)', message: unknownKey ? 'is not a known setting' : e.message };
    });
    const first = errors[0]!;
    throw new TouchlineError('TL_ERR_CONFIG_INVALID', `Configuration key "${first.key}" ${first.message}`, { errors });
  }
  const config = withDefaults as HubConfig;
  if (config.engine.lostAfterSeconds <= config.engine.staleAfterSeconds) {
    throw new TouchlineError('TL_ERR_CONFIG_INVALID', 'Configuration key "engine.lostAfterSeconds" must be greater than engine.staleAfterSeconds', {});
  }
  return config;
}

export interface LoadConfigOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  overrides?: Json;
}

/** Loads config/hub.yaml (or the given file), applies the environment, then validates. */
export function loadConfig({ file, env = process.env, overrides = {} }: LoadConfigOptions = {}): HubConfig {
  const path = file ?? env.TOUCHLINE_CONFIG ?? 'config/hub.yaml';
  let fromFile: Json = {};
  try {
    fromFile = (parseYaml(readFileSync(path, 'utf8')) as Json | null) ?? {};
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || file !== undefined) {
      throw new TouchlineError('TL_ERR_CONFIG_INVALID', `Cannot read configuration ${path}: ${(err as Error).message}`, { path });
    }
  }
  applyEnv(fromFile, env);
  for (const [section, values] of Object.entries(overrides)) {
    fromFile[section] = { ...((fromFile[section] as Json | undefined) ?? {}), ...(values as Json) };
  }
  return resolveConfig(fromFile);
}
