/**
 * Finds the newest compacted sequence number quickly (`max(seq_last)`): inbox rows at or below it
 * are already in blocks and only wait to be deleted (inbox-compactor.ts). Migrations are
 * append-only: never edit one that has shipped.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('sample_blocks_seq').on('sample_blocks').column('seq_last').execute();
}
