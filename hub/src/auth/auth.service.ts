/**
 * Local access control. The hub sits on a Wi-Fi that players and parents may join, so nothing is
 * open by default: the first admin is created at first start (there is no default password),
 * staff sign in with a password or PIN, a wall screen gets a read-only display token, and every
 * change is written to the audit log with who made it.
 */
import { TouchlineError } from '@touchline/core/metrics';
import type { AuthRepository } from '../repositories/auth.repository.ts';
import { hashSecret, hashToken, newId, newToken, verifySecret } from '../services/secrets.ts';

export const ROLES = ['display', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking. `display` can only watch; `staff` runs sessions; `admin` also manages the hub. */
export interface Principal {
  role: Role;
  actor: string;
  userId: string | null;
  tokenHash: string;
}

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** A password is at least 8 characters; a PIN (staff convenience on tablets) at least 6 digits. */
function checkSecretStrength(secret: string): void {
  const isPin = /^\d+$/.test(secret);
  if (isPin ? secret.length < 6 : secret.length < 8) {
    throw new TouchlineError('TL_ERR_VALIDATION', isPin ? 'a PIN needs at least 6 digits' : 'a password needs at least 8 characters');
  }
}

interface Attempts {
  windowStart: number;
  count: number;
}

export interface AuthOptions {
  loginAttemptsPerMinute: number;
  sessionHours: number;
  now?: () => number;
}

export class AuthService {
  private readonly repo: AuthRepository;
  private readonly options: AuthOptions;
  private readonly now: () => number;
  private readonly attempts = new Map<string, Attempts>();
  private hasAdmin = false;

  constructor(repo: AuthRepository, options: AuthOptions) {
    this.repo = repo;
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  async load(): Promise<void> {
    this.hasAdmin = (await this.repo.countUsers()) > 0;
  }

  get setupRequired(): boolean {
    return !this.hasAdmin;
  }

  /** First start only: creates the first admin. Refused once any user exists. */
  async setup(name: string, secret: string): Promise<{ token: string; principal: Principal }> {
    if (this.hasAdmin) throw new TouchlineError('TL_ERR_CONFLICT', 'The hub already has an admin; sign in instead');
    checkSecretStrength(secret);
    const id = newId();
    await this.repo.insertUser({ id, name, role: 'admin', secret_hash: await hashSecret(secret), created_at: this.now() });
    this.hasAdmin = true;
    await this.audit(name, 'auth.setup', id, { name });
    return this.issueSession(id, name, 'admin');
  }

  /** Signs in with name and password or PIN; rate-limited per client address and name. */
  async login(name: string, secret: string, clientKey: string): Promise<{ token: string; principal: Principal }> {
    this.countAttempt(`${clientKey}\u0000${name}`);
    const user = await this.repo.findUserByName(name);
    const ok = user ? await verifySecret(secret, user.secret_hash) : false;
    if (!user || !ok) {
      await this.audit(name, 'auth.login-failed', null, { clientKey });
      throw new TouchlineError('TL_ERR_AUTH_FAILED');
    }
    await this.audit(name, 'auth.login', user.id, {});
    return this.issueSession(user.id, user.name, user.role as Role);
  }

  private countAttempt(key: string): void {
    const now = this.now();
    const entry = this.attempts.get(key);
    if (!entry || now - entry.windowStart >= 60_000) {
      this.attempts.set(key, { windowStart: now, count: 1 });
      if (this.attempts.size > 10_000) this.pruneAttempts(now);
      return;
    }
    entry.count++;
    if (entry.count > this.options.loginAttemptsPerMinute) {
      throw new TouchlineError('TL_ERR_AUTH_RATE_LIMITED', `Too many sign-in attempts; try again in ${Math.ceil((entry.windowStart + 60_000 - now) / 1000)} s`);
    }
  }

  private pruneAttempts(now: number): void {
    for (const [key, entry] of this.attempts) if (now - entry.windowStart >= 60_000) this.attempts.delete(key);
  }

  private async issueSession(userId: string, name: string, role: Role) {
    const token = newToken();
    const tokenHash = hashToken(token);
    const now = this.now();
    await this.repo.insertToken({ token_hash: tokenHash, kind: 'session', user_id: userId, role, label: null, created_at: now, expires_at: now + this.options.sessionHours * 3600_000 });
    return { token, principal: { role, actor: name, userId, tokenHash } };
  }

  /** Resolves a bearer, cookie or display token; null when it is unknown, expired or revoked. */
  async authenticate(token: string | undefined): Promise<Principal | null> {
    if (!token) return null;
    const tokenHash = hashToken(token);
    const row = await this.repo.findToken(tokenHash);
    if (!row || row.revoked_at !== null || (row.expires_at !== null && row.expires_at < this.now()) || row.disabled_at) return null;
    const actor = row.kind === 'display' ? `display:${row.label ?? 'screen'}` : (row.user_name ?? 'unknown');
    return { role: row.role as Role, actor, userId: row.user_id, tokenHash };
  }

  async logout(principal: Principal): Promise<void> {
    await this.repo.revokeToken(principal.tokenHash, this.now());
    await this.audit(principal.actor, 'auth.logout', principal.userId, {});
  }

  async createUser(by: Principal, name: string, role: Exclude<Role, 'display'>, secret: string) {
    checkSecretStrength(secret);
    if (await this.repo.findUserByName(name)) throw new TouchlineError('TL_ERR_CONFLICT', `A user named "${name}" exists`);
    const id = newId();
    await this.repo.insertUser({ id, name, role, secret_hash: await hashSecret(secret), created_at: this.now() });
    await this.audit(by.actor, 'user.create', id, { name, role });
    return { id, name, role };
  }

  async updateUser(by: Principal, id: string, changes: { role?: Exclude<Role, 'display'>; secret?: string; disabled?: boolean }) {
    const patch: { role?: string; secret_hash?: string; disabled_at?: number | null } = {};
    if (changes.role) patch.role = changes.role;
    if (changes.secret !== undefined) {
      checkSecretStrength(changes.secret);
      patch.secret_hash = await hashSecret(changes.secret);
    }
    if (changes.disabled !== undefined) patch.disabled_at = changes.disabled ? this.now() : null;
    if ((await this.repo.updateUser(id, patch)) === 0) throw new TouchlineError('TL_ERR_NOT_FOUND', `No user "${id}"`);
    if (changes.disabled || changes.secret !== undefined || changes.role) await this.repo.revokeUserTokens(id, this.now());
    await this.audit(by.actor, 'user.update', id, { role: changes.role, disabled: changes.disabled, secretChanged: changes.secret !== undefined });
  }

  listUsers() {
    return this.repo.listUsers();
  }

  /** A read-only token for a wall screen; the token is shown once and only its hash is kept. */
  async createDisplayToken(by: Principal, label: string) {
    const token = newToken();
    const tokenHash = hashToken(token);
    await this.repo.insertToken({ token_hash: tokenHash, kind: 'display', user_id: null, role: 'display', label, created_at: this.now(), expires_at: null });
    await this.audit(by.actor, 'display-token.create', tokenHash.slice(0, 12), { label });
    return { token, id: tokenHash.slice(0, 12) };
  }

  async listDisplayTokens() {
    return (await this.repo.listDisplayTokens()).map((t) => ({ id: t.token_hash.slice(0, 12), label: t.label, createdAt: t.created_at, revokedAt: t.revoked_at }));
  }

  async revokeDisplayToken(by: Principal, id: string) {
    const match = (await this.repo.listDisplayTokens()).find((t) => t.token_hash.startsWith(id) && t.revoked_at === null);
    if (!match) throw new TouchlineError('TL_ERR_NOT_FOUND', `No active display token "${id}"`);
    await this.repo.revokeToken(match.token_hash, this.now());
    await this.audit(by.actor, 'display-token.revoke', id, {});
  }

  audit(actor: string, action: string, target: string | null, detail: unknown): Promise<void> {
    return this.repo.audit({ t: this.now(), actor, action, target, detail });
  }

  listAudit(limit: number, before?: number) {
    return this.repo.listAudit(limit, before);
  }
}
