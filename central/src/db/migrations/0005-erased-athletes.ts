/**
 * Athletes head office erased (DELETE /api/athletes/:id) who came from a hub. The hub keeps its
 * own copy and would send them again with its next batches, so the uplink looks here and leaves
 * them out. Only the hub's id for the person and the time are kept, which is what it takes to
 * honour the erasure; nothing about the athlete themself.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table erased_athletes (
     hub_id uuid not null references hubs(id),
     local_id text not null,
     erased_at timestamptz not null default now(),
     primary key (hub_id, local_id)
   )`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
