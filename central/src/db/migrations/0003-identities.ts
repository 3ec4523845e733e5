/**
 * Single sign-on identities: which OpenID Connect account (issuer + subject) belongs to which
 * portal user. A user is first matched by verified email; the subject is then kept, so the link
 * survives a later change of email at the provider.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table user_identities (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users(id) on delete cascade,
    issuer text not null,
    subject text not null,
    email text,
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    unique (issuer, subject)
  )`,
  `create index user_identities_user on user_identities (user_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
