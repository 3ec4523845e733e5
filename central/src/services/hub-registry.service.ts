/**
 * Hubs and how they prove who they are. An admin creates a hub for a club and receives a one-time
 * enrolment code; club IT gives the code to the hub, which exchanges it for its own credential
 * `<hubId>.<secret>`. Central keeps only an argon2id hash of the secret. Codes are random 80-bit
 * values, so a fast SHA-256 is enough to store them; they expire and work once.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { TouchlineError } from '@touchline/core';
import type { HubRepository } from '../repositories/hub.repository.ts';
import type { DirectoryRepository } from '../repositories/directory.repository.ts';
import type { UserRepository } from '../repositories/user.repository.ts';
import type { HubsTable } from '../db/tables.ts';
import type { Selectable } from 'kysely';

export interface AuthenticatedHub {
  id: string;
  clubId: string;
}

export interface Enrolment {
  code: string;
  expiresAt: number;
}

export interface HubView {
  id: string;
  clubId: string;
  name: string;
  enrolledAt: number | null;
  lastSeenAt: number | null;
  revokedAt: number | null;
  createdAt: number;
}

/** Crockford base32 without I, L, O, U: easy to read out and type. */
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A verified credential is trusted for this long before argon2 runs again. */
const CREDENTIAL_CACHE_MS = 5 * 60_000;

export function hubView(row: Selectable<HubsTable>): HubView {
  return {
    id: row.id,
    clubId: row.club_id,
    name: row.name,
    enrolledAt: row.enrolled_at?.getTime() ?? null,
    lastSeenAt: row.last_seen_at?.getTime() ?? null,
    revokedAt: row.revoked_at?.getTime() ?? null,
    createdAt: row.created_at.getTime(),
  };
}

function normaliseCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export class HubRegistryService {
  private readonly hubs: HubRepository;
  private readonly directory: DirectoryRepository;
  private readonly users: UserRepository;
  private readonly codeHours: number;
  private readonly now: () => number;
  private readonly verified = new Map<string, { hubId: string; credentialHash: string; until: number }>();

  constructor(deps: { hubs: HubRepository; directory: DirectoryRepository; users: UserRepository; enrolmentCodeHours: number; now?: () => number }) {
    this.hubs = deps.hubs;
    this.directory = deps.directory;
    this.users = deps.users;
    this.codeHours = deps.enrolmentCodeHours;
    this.now = deps.now ?? Date.now;
  }

  async list(clubId?: string): Promise<HubView[]> {
    return (await this.hubs.list(clubId)).map(hubView);
  }

  async get(id: string) {
    const row = await this.hubs.find(id);
    if (!row) throw new TouchlineError('TL_ERR_NOT_FOUND', `No hub ${id}`);
    const streams = await this.hubs.streams(id);
    return {
      ...hubView(row),
      streams: streams.map((s) => ({ stream: s.stream, ackedSeq: s.acked_seq, readings: s.rows_stored, lastBatchAt: s.last_batch_at?.getTime() ?? null })),
    };
  }

  async create(actor: string, clubId: string, name: string): Promise<{ hub: HubView; enrolment: Enrolment }> {
    if (!(await this.directory.findClub(clubId))) throw new TouchlineError('TL_ERR_NOT_FOUND', `No club ${clubId}`);
    const hub = hubView(await this.hubs.insert(clubId, name));
    const enrolment = await this.newCode(hub.id);
    await this.users.audit(actor, 'hub.create', hub.id, { clubId, name });
    return { hub, enrolment };
  }

  /** A fresh code for an existing hub, e.g. when its box is replaced; enrolling rotates the credential. */
  async issueCode(actor: string, hubId: string): Promise<Enrolment> {
    const hub = await this.hubs.find(hubId);
    if (!hub) throw new TouchlineError('TL_ERR_NOT_FOUND', `No hub ${hubId}`);
    if (hub.revoked_at) throw new TouchlineError('TL_ERR_CONFLICT', 'This hub is revoked; create a new hub for the club instead');
    const enrolment = await this.newCode(hubId);
    await this.users.audit(actor, 'hub.enrolment-code', hubId, { expiresAt: enrolment.expiresAt });
    return enrolment;
  }

  private async newCode(hubId: string): Promise<Enrolment> {
    let raw = '';
    for (let i = 0; i < CODE_LENGTH; i++) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    const expiresAt = this.now() + this.codeHours * 3600_000;
    await this.hubs.insertCode(hubId, sha256(raw), new Date(expiresAt));
    return { code: raw.match(/.{4}/g)!.join('-'), expiresAt };
  }

  /**
   * Spends a code for the hub's credential. A hub that sends its own `secret` may repeat the call
   * after a lost answer: the spent code then still works for that same secret, and only for it.
   */
  async enrol(code: string, name: string, hubSecret?: string): Promise<{ hubId: string; clubId: string; credential: string }> {
    const codeHash = sha256(normaliseCode(code));
    const secret = hubSecret ?? randomBytes(32).toString('base64url');
    const now = new Date(this.now());
    const enrolled = await this.hubs.enrol(codeHash, now, name, await hash(secret));
    if (enrolled) {
      await this.users.audit(`hub:${enrolled.id}`, 'hub.enrol', enrolled.id, { name });
      return { hubId: enrolled.id, clubId: enrolled.club_id, credential: `${enrolled.id}.${secret}` };
    }
    const known = await this.hubs.findCode(codeHash);
    if (known?.used_at && hubSecret) {
      const hub = await this.hubs.find(known.hub_id);
      if (hub?.credential_hash && !hub.revoked_at && (await verify(hub.credential_hash, hubSecret))) {
        return { hubId: hub.id, clubId: hub.club_id, credential: `${hub.id}.${hubSecret}` };
      }
    }
    const why = !known ? 'is unknown' : known.used_at ? 'was already used' : known.expires_at <= now ? 'has expired' : 'belongs to a revoked hub';
    throw new TouchlineError('TL_ERR_ENROLMENT_CODE_INVALID', `This enrolment code ${why}; ask head office for a new one`);
  }

  async revoke(actor: string, hubId: string): Promise<HubView> {
    if (!(await this.hubs.find(hubId))) throw new TouchlineError('TL_ERR_NOT_FOUND', `No hub ${hubId}`);
    await this.hubs.revoke(hubId, new Date(this.now()));
    for (const [key, entry] of this.verified) if (entry.hubId === hubId) this.verified.delete(key);
    await this.users.audit(actor, 'hub.revoke', hubId, {});
    return hubView((await this.hubs.find(hubId))!);
  }

  /**
   * The hub a `Bearer <hubId>.<secret>` credential belongs to. The hub's row is read on every
   * request (revocation takes effect at once); the slow argon2 check is cached per credential.
   */
  async authenticate(credential: string | undefined): Promise<AuthenticatedHub> {
    const unauthorized = (message: string) => new TouchlineError('TL_ERR_HUB_UNAUTHORIZED', message);
    if (!credential) throw unauthorized('Send the hub credential as Authorization: Bearer <credential>');
    const dot = credential.indexOf('.');
    const hubId = credential.slice(0, dot);
    if (dot < 0 || !UUID.test(hubId)) throw unauthorized('This is not a hub credential; enrol the hub to get one');
    const hub = await this.hubs.find(hubId);
    if (!hub?.credential_hash) throw unauthorized('Central knows no enrolled hub with this credential; enrol the hub again');

    const key = sha256(credential);
    const cached = this.verified.get(key);
    const now = this.now();
    if (!(cached && cached.credentialHash === hub.credential_hash && cached.until > now)) {
      if (!(await verify(hub.credential_hash, credential.slice(dot + 1)))) throw unauthorized('The hub credential is wrong or was replaced by a newer enrolment');
      this.verified.set(key, { hubId, credentialHash: hub.credential_hash, until: now + CREDENTIAL_CACHE_MS });
    }
    if (hub.revoked_at) throw new TouchlineError('TL_ERR_HUB_REVOKED', `Head office revoked this hub on ${hub.revoked_at.toISOString()}; its data stays on the hub`);
    return { id: hub.id, clubId: hub.club_id };
  }
}
