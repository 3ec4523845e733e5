/**
 * A session's aggregates wait for its readings to stop arriving: the pending queue remembers until
 * when the latest request wants quiet (`quiet_until`) and the latest time it may be put off to
 * (`due_by`); `next_attempt_at` is the earlier of the two. Team reads are audited as one row that
 * lists the athletes read, found by the athlete through a GIN index.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table analytics_pending_sessions
     add column quiet_until timestamptz not null default now(),
     add column due_by timestamptz not null default now()`,
  `create index audit_log_athletes on audit_log using gin ((detail->'athletes'))`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
