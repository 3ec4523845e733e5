/** First schema of the hub store. Migrations are append-only: never edit one that has shipped. */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('athletes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('number', 'integer')
    .addColumn('position', 'text')
    .addColumn('group_name', 'text')
    .addColumn('hr_max', 'integer', (c) => c.notNull())
    .addColumn('hr_rest', 'integer', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull())
    .addColumn('mass_kg', 'real', (c) => c.notNull())
    .addColumn('birth_year', 'integer')
    .addColumn('zones', 'text', (c) => c.notNull().defaultTo('null'))
    .addColumn('thresholds', 'text', (c) => c.notNull().defaultTo('null'))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('archived_at', 'integer')
    .execute();

  await db.schema
    .createTable('sensors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('label', 'text')
    .addColumn('streams', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('first_seen', 'integer', (c) => c.notNull())
    .addColumn('last_seen', 'integer', (c) => c.notNull())
    .addColumn('battery_pct', 'integer')
    .execute();

  // Pairing history: a sample belongs to the athlete whose pairing covers its arrival, so a sensor
  // re-paired mid-session keeps both halves attributed correctly.
  await db.schema
    .createTable('pairings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('sensor_id', 'text', (c) => c.notNull().references('sensors.id'))
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athletes.id'))
    .addColumn('paired_at', 'integer', (c) => c.notNull())
    .addColumn('unpaired_at', 'integer')
    .execute();
  await db.schema.createIndex('pairings_sensor').on('pairings').columns(['sensor_id', 'paired_at']).execute();

  await db.schema
    .createTable('device_credentials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('sensor_ids', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'integer')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('ended_at', 'integer')
    .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createTable('drills')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('started_at', 'integer', (c) => c.notNull())
    .addColumn('ended_at', 'integer')
    .execute();

  await db.schema
    .createTable('markers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id'))
    .addColumn('t', 'integer', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('session_rpe')
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id'))
    .addColumn('athlete_id', 'text', (c) => c.notNull().references('athletes.id'))
    .addColumn('rpe', 'real', (c) => c.notNull())
    .addColumn('duration_min', 'real', (c) => c.notNull())
    .addColumn('entered_at', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_rpe_pk', ['session_id', 'athlete_id'])
    .execute();

  await db.schema
    .createTable('alert_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rule_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text')
    .addColumn('athlete_id', 'text')
    .addColumn('sensor_id', 'text')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'integer', (c) => c.notNull())
    .addColumn('acknowledged_at', 'integer')
    .addColumn('acknowledged_by', 'text')
    .execute();
  await db.schema.createIndex('alerts_session').on('alerts').columns(['session_id', 'raised_at']).execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('disabled_at', 'integer')
    .execute();

  await db.schema
    .createTable('auth_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer')
    .addColumn('revoked_at', 'integer')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('t', 'integer', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  // Raw samples arrive here first, one row per accepted message, in short group commits so a QoS 1
  // acknowledgement always means "on disk". The compactor moves them into sample_blocks.
  await db.schema
    .createTable('sample_inbox')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('sensor_id', 'text', (c) => c.notNull())
    .addColumn('athlete_id', 'text')
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('t', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();

  // Compact storage: one row per sensor, athlete and stream per block of time, columns delta-encoded
  // and deflated (see sample-codec.ts). seq_first..seq_last keep the inbox order for the uplink.
  await db.schema
    .createTable('sample_blocks')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('sensor_id', 'text', (c) => c.notNull())
    .addColumn('athlete_id', 'text')
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('t_start', 'integer', (c) => c.notNull())
    .addColumn('t_end', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('seq_first', 'integer', (c) => c.notNull())
    .addColumn('seq_last', 'integer', (c) => c.notNull())
    .addColumn('codec', 'integer', (c) => c.notNull())
    .addColumn('data', 'blob', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sample_blocks_athlete').on('sample_blocks').columns(['athlete_id', 'stream', 't_start']).execute();
  await db.schema.createIndex('sample_blocks_time').on('sample_blocks').columns(['t_start']).execute();

  await sql`select 1`.execute(db);
}
