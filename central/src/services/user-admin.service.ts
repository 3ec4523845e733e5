/**
 * User administration: admins create users (with an argon2id password, or none for single
 * sign-on), grant and remove scoped roles, and disable users. Every change is audited, and no
 * change may leave central without an enabled admin.
 */
import { hash } from '@node-rs/argon2';
import type { Selectable } from 'kysely';
import { TouchlineError } from '@touchline/core';
import type { UserRolesTable, UsersTable } from '../db/tables.ts';
import type { DirectoryRepository } from '../repositories/directory.repository.ts';
import { NoAdminLeft, UserRepository, type GrantValues } from '../repositories/user.repository.ts';
import type { Principal } from './auth.service.ts';

export interface GrantInput {
  role: 'admin' | 'analyst' | 'coach' | 'athlete';
  organisationId?: string | null | undefined;
  clubId?: string | null | undefined;
  teamId?: string | null | undefined;
  athleteId?: string | null | undefined;
}

type ScopeField = 'organisationId' | 'clubId' | 'teamId' | 'athleteId';
const SCOPE_FIELDS: readonly ScopeField[] = ['organisationId', 'clubId', 'teamId', 'athleteId'];

/** Which scope fields each role may name, and which it must name (one of). */
const SHAPES: Record<GrantInput['role'], { allowed: readonly ScopeField[]; oneOf: readonly ScopeField[] }> = {
  admin: { allowed: [], oneOf: [] },
  analyst: { allowed: ['organisationId'], oneOf: [] },
  coach: { allowed: ['teamId', 'clubId'], oneOf: ['teamId', 'clubId'] },
  athlete: { allowed: ['athleteId'], oneOf: ['athleteId'] },
};

export const grantView = (g: Selectable<UserRolesTable>) => ({
  id: g.id,
  role: g.role,
  organisationId: g.organisation_id,
  clubId: g.club_id,
  teamId: g.team_id,
  athleteId: g.athlete_id,
});

const PG_UNIQUE_VIOLATION = '23505';

export class UserAdminService {
  private readonly users: UserRepository;
  private readonly directory: DirectoryRepository;
  private readonly now: () => number;

  constructor(deps: { users: UserRepository; directory: DirectoryRepository; now?: () => number }) {
    this.users = deps.users;
    this.directory = deps.directory;
    this.now = deps.now ?? Date.now;
  }

  async list() {
    const rows = await this.users.listUsers();
    return this.views(rows);
  }

  async get(id: string) {
    const row = await this.users.findById(id);
    if (!row) throw new TouchlineError('TL_ERR_NOT_FOUND', `No user ${id}`);
    return (await this.views([row]))[0]!;
  }

  /** The signed-in user and their grants as they stand now. */
  async me(principal: Principal) {
    const user = await this.get(principal.userId);
    return { id: user.id, email: user.email, name: user.name, grants: user.grants };
  }

  async create(actor: string, input: { email: string; name: string; password?: string | undefined; grants: GrantInput[] }) {
    const grants: GrantValues[] = [];
    for (const [index, grant] of input.grants.entries()) grants.push(await this.checkGrant(grant, `grants[${index}]`));
    const passwordHash = input.password === undefined ? null : await hash(input.password);
    let created;
    try {
      created = await this.users.insertUser({ email: input.email.trim(), name: input.name.trim(), passwordHash }, grants);
    } catch (err) {
      if ((err as { code?: string }).code === PG_UNIQUE_VIOLATION) throw new TouchlineError('TL_ERR_CONFLICT', `A user with the email ${input.email} already exists`);
      throw err;
    }
    await this.users.audit(actor, 'user.create', created.id, { email: created.email, password: passwordHash !== null, grants: grants.map(grantDetail) });
    return this.get(created.id);
  }

  async addGrant(actor: string, userId: string, input: GrantInput) {
    const user = await this.get(userId);
    const grant = await this.checkGrant(input, 'grant');
    const same = user.grants.find(
      (g) => g.role === grant.role && g.organisationId === grant.organisation_id && g.clubId === grant.club_id && g.teamId === grant.team_id && g.athleteId === grant.athlete_id,
    );
    if (same) throw new TouchlineError('TL_ERR_CONFLICT', `The user already has this grant (${same.id})`);
    const row = await this.users.insertGrant(userId, grant);
    await this.users.audit(actor, 'user.grant', userId, { grantId: row.id, ...grantDetail(grant) });
    return this.get(userId);
  }

  async removeGrant(actor: string, userId: string, grantId: string) {
    await this.get(userId);
    const removed = await this.guardLastAdmin(() => this.users.keepingAnAdmin((trx) => UserRepository.deleteGrant(trx, userId, grantId)));
    if (!removed) throw new TouchlineError('TL_ERR_NOT_FOUND', `User ${userId} has no grant ${grantId}`);
    await this.users.audit(actor, 'user.revoke-grant', userId, { grantId, ...grantDetail(removed) });
    return this.get(userId);
  }

  /** Disables a user: they can no longer sign in, and tokens already issued stop working at once. */
  async disable(actor: string, userId: string) {
    const user = await this.get(userId);
    if (user.disabledAt !== null) return user;
    await this.guardLastAdmin(() => this.users.keepingAnAdmin((trx) => UserRepository.disable(trx, userId, new Date(this.now()))));
    await this.users.audit(actor, 'user.disable', userId, { email: user.email });
    return this.get(userId);
  }

  private async guardLastAdmin<T>(work: () => Promise<{ result: T }>): Promise<T> {
    try {
      return (await work()).result;
    } catch (err) {
      if (err instanceof NoAdminLeft) throw new TouchlineError('TL_ERR_LAST_ADMIN', 'This would leave central without an enabled admin; make another user admin first');
      throw err;
    }
  }

  /** Checks a grant's shape for its role and that what it names exists. */
  private async checkGrant(grant: GrantInput, where: string): Promise<GrantValues> {
    const invalid = (message: string, field?: ScopeField) => new TouchlineError('TL_ERR_GRANT_INVALID', `${where}: ${message}`, field ? { field: `${where}.${field}` } : undefined);
    const shape = SHAPES[grant.role];
    const named = SCOPE_FIELDS.filter((f) => grant[f] !== undefined && grant[f] !== null);
    for (const field of named) if (!shape.allowed.includes(field)) throw invalid(`a ${grant.role} grant cannot name ${field}`, field);
    if (shape.oneOf.length && named.filter((f) => shape.oneOf.includes(f)).length !== 1) {
      throw invalid(`a ${grant.role} grant names exactly one of ${shape.oneOf.join(' or ')}`, shape.oneOf[0]);
    }
    const exists: Record<ScopeField, (id: string) => Promise<unknown>> = {
      organisationId: (id) => this.directory.findOrganisation(id),
      clubId: (id) => this.directory.findClub(id),
      teamId: (id) => this.directory.findTeam(id),
      athleteId: (id) => this.directory.findAthlete(id),
    };
    for (const field of named) {
      const id = grant[field]!;
      if (!(await exists[field](id))) throw invalid(`${field} ${id} does not exist`, field);
    }
    return {
      role: grant.role,
      organisation_id: grant.organisationId ?? null,
      club_id: grant.clubId ?? null,
      team_id: grant.teamId ?? null,
      athlete_id: grant.athleteId ?? null,
    };
  }

  private async views(rows: Selectable<UsersTable>[]) {
    const ids = rows.map((r) => r.id);
    const [grants, identities] = await Promise.all([this.users.grantsOfUsers(ids), this.users.identitiesOf(ids)]);
    return rows.map((u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      hasPassword: u.password_hash !== null,
      createdAt: u.created_at.getTime(),
      disabledAt: u.disabled_at?.getTime() ?? null,
      grants: grants.filter((g) => g.user_id === u.id).map(grantView),
      identities: identities.filter((i) => i.user_id === u.id).map((i) => ({ issuer: i.issuer, email: i.email, lastUsedAt: i.last_used_at?.getTime() ?? null })),
    }));
  }
}

function grantDetail(g: GrantValues | Selectable<UserRolesTable>) {
  return { role: g.role, organisationId: g.organisation_id, clubId: g.club_id, teamId: g.team_id, athleteId: g.athlete_id };
}
