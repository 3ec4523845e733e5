/**
 * Reads central's configuration from the environment and validates it. The only module of central
 * that reads process.env: everything else receives a typed CentralConfig.
 */
import { Compile } from 'typebox/compile';
import Value from 'typebox/value';
import { TouchlineError } from '@touchline/core';
import { CentralConfigSchema, type CentralConfig } from './config.schema.ts';

const checker = Compile(CentralConfigSchema);

/** `databaseUrl` keeps the name every PostgreSQL tool uses; the rest are TOUCHLINE_CENTRAL_<KEY>. */
export function envName(key: string): string {
  if (key === 'databaseUrl') return 'DATABASE_URL';
  return `TOUCHLINE_CENTRAL_${key.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** Validates a plain object and fills defaults; names the first offending key. */
export function resolveConfig(input: Record<string, unknown> = {}): CentralConfig {
  const withDefaults = Value.Default(CentralConfigSchema, structuredClone(input));
  if (!checker.Check(withDefaults)) {
    const first = [...checker.Errors(withDefaults)][0]!;
    const extra = first.keyword === 'additionalProperties' ? (first.params as { additionalProperties?: string[] }).additionalProperties : undefined;
    const key = [first.instancePath.slice(1), ...(extra ?? [])].filter(Boolean).join('.') || '(root)';
    const unknownKey = first.keyword === 'additionalProperties' || first.keyword === 'boolean';
    throw new TouchlineError('TL_ERR_CONFIG_INVALID', `Central setting "${key}" (${envName(key)}) ${unknownKey ? 'is not a known setting' : first.message}`);
  }
  return withDefaults as CentralConfig;
}

/** Environment variables, typed by the schema, then `overrides` (command-line flags) on top. */
export function loadConfig({ env = process.env, overrides = {} }: { env?: NodeJS.ProcessEnv; overrides?: Record<string, unknown> } = {}): CentralConfig {
  const input: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(CentralConfigSchema.properties)) {
    const raw = env[envName(key)];
    if (raw === undefined) continue;
    const type = (schema as { type?: string }).type;
    input[key] = (type === 'integer' || type === 'number') && raw.trim() !== '' ? Number(raw) : raw;
  }
  return resolveConfig({ ...input, ...overrides });
}
