/** The uplink's outbox state. Migrations are append-only: never edit one that has shipped. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One cursor per central hub identity (a re-enrolment as another hub starts over). `stream` names
  // this store's sequence at central ("samples:<random>"), so a hub whose database was replaced
  // never collides with what its predecessor sent. Everything up to sample block `block_id`, whose
  // last reading carries sequence number `acked_seq`, is stored centrally.
  await db.schema
    .createTable('uplink_cursor')
    .addColumn('hub_id', 'text', (c) => c.primaryKey())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('block_id', 'integer', (c) => c.notNull())
    .addColumn('acked_seq', 'integer', (c) => c.notNull())
    .addColumn('acked_at', 'integer')
    .execute();

  // What central holds of each athlete and session: a hash of the version it acknowledged, so only
  // changes travel again.
  await db.schema
    .createTable('uplink_sent')
    .addColumn('hub_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('local_id', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('uplink_sent_pk', ['hub_id', 'kind', 'local_id'])
    .execute();
}
