/**
 * Portal sign-in: argon2id password hashes (@node-rs/argon2, its defaults are OWASP's argon2id
 * parameters) and short-lived JWTs (HS256 via jose) carrying the user's roles. Tokens are not
 * stored: a token lives `tokenMinutes` and then the user signs in again. The user's row and roles
 * are read on every request, so a disabled user or a removed grant stops working at once.
 */
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { jwtVerify, SignJWT } from 'jose';
import { TouchlineError } from '@touchline/core';
import type { UserRepository } from '../repositories/user.repository.ts';

export const ROLES = ['admin', 'analyst', 'coach', 'athlete'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  userId: string;
  email: string;
  roles: Role[];
  /** How the audit log names this user. */
  actor: string;
}

export interface SignIn {
  token: string;
  expiresAt: number;
  user: { id: string; email: string; name: string; roles: Role[] };
}

export interface AuthOptions {
  jwtSecret: Uint8Array;
  tokenMinutes: number;
  now?: () => number;
}

const ISSUER = 'touchline-central';
const AUDIENCE = 'touchline-portal';
const ATTEMPTS_PER_MINUTE = 10;

export class AuthService {
  private readonly users: UserRepository;
  private readonly options: AuthOptions;
  private readonly now: () => number;
  private readonly attempts = new Map<string, number[]>();
  /** Verified against when the email is unknown, so both failures take the same time. */
  private readonly decoy: Promise<string>;

  constructor(users: UserRepository, options: AuthOptions) {
    this.users = users;
    this.options = options;
    this.now = options.now ?? Date.now;
    this.decoy = hash(randomBytes(16).toString('hex'));
  }

  async login(email: string, password: string): Promise<SignIn> {
    const key = email.toLowerCase();
    const now = this.now();
    const recent = (this.attempts.get(key) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= ATTEMPTS_PER_MINUTE) throw new TouchlineError('TL_ERR_AUTH_RATE_LIMITED');
    this.attempts.set(key, [...recent, now]);

    const user = await this.users.findByEmail(email);
    let ok = false;
    if (user?.password_hash) ok = await verify(user.password_hash, password);
    else await verify(await this.decoy, password);
    if (!user || !ok || user.disabled_at) throw new TouchlineError('TL_ERR_AUTH_FAILED', 'The email or password is wrong');
    this.attempts.delete(key);

    return this.issue(user, 'password');
  }

  /**
   * A portal token for a user who proved who they are some other way (single sign-on). The caller
   * has checked the user exists; a disabled user is refused here too.
   */
  async issue(user: { id: string; email: string; name: string; disabled_at: Date | null }, method: 'password' | 'oidc'): Promise<SignIn> {
    if (user.disabled_at) throw new TouchlineError('TL_ERR_AUTH_FAILED', 'This account is disabled; ask an admin');
    const now = this.now();
    const roles = (await this.users.rolesOf(user.id)) as Role[];
    const expiresAt = now + this.options.tokenMinutes * 60_000;
    const token = await new SignJWT({ email: user.email, roles })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(this.options.jwtSecret);
    await this.users.audit(`user:${user.email}`, 'auth.login', user.id, method === 'password' ? {} : { method });
    return { token, expiresAt, user: { id: user.id, email: user.email, name: user.name, roles } };
  }

  /** The principal of a valid, unexpired token; null for anything else. */
  async authenticate(token: string | undefined): Promise<Principal | null> {
    if (!token) return null;
    let subject: string;
    try {
      const { payload } = await jwtVerify(token, this.options.jwtSecret, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        currentDate: new Date(this.now()),
      });
      if (!payload.sub) return null;
      subject = payload.sub;
    } catch {
      return null;
    }
    // Read on every request, so disabling a user or removing a grant takes effect at once rather
    // than when the token expires.
    const user = await this.users.findById(subject);
    if (!user || user.disabled_at) return null;
    const roles = (await this.users.rolesOf(user.id)).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
    return { userId: user.id, email: user.email, roles, actor: `user:${user.email}` };
  }

  /**
   * Creates the first admin with a random password when central has no admin, and returns the
   * password (to be printed once); returns null when an admin exists already.
   */
  async bootstrapAdmin(email: string): Promise<string | null> {
    if (await this.users.adminExists()) return null;
    const password = randomBytes(15).toString('base64url');
    const user = await this.users.insertWithRole({ email, name: email, passwordHash: await hash(password) }, 'admin');
    await this.users.audit('system', 'user.bootstrap-admin', user.id, { email });
    return password;
  }

  audit(actor: string, action: string, target: string | null, detail: Record<string, unknown> = {}): Promise<void> {
    return this.users.audit(actor, action, target, detail);
  }

  async auditLog(limit: number) {
    return (await this.users.listAudit(limit)).map((e) => ({ id: e.id, at: e.at.getTime(), actor: e.actor, action: e.action, target: e.target, detail: e.detail }));
  }
}
