/**
 * Who is signed in to the portal and what their grants let the pages show. Central checks every
 * request again (and answers 404 for data out of scope); this only keeps people from being shown
 * links and buttons that would fail.
 */
import { forgetToken, get, post, storeToken } from './api.ts';
import type { LoginResult, PortalMe, PortalRole } from './types.ts';

class PortalSession {
  me = $state<PortalMe | null>(null);

  has(role: PortalRole): boolean {
    return this.me?.grants.some((g) => g.role === role) ?? false;
  }

  get isAdmin(): boolean {
    return this.has('admin');
  }

  /** Admin, analyst or coach: people who look at teams rather than only at themselves. */
  get seesTeams(): boolean {
    return this.has('admin') || this.has('analyst') || this.has('coach');
  }

  /** Lists of every session and every athlete are head-office reads (admin and analyst). */
  get isHeadOffice(): boolean {
    return this.has('admin') || this.has('analyst');
  }

  /** The athlete an athlete-only account belongs to, to send them straight to their own page. */
  get ownAthleteId(): string | null {
    if (this.seesTeams) return null;
    return this.me?.grants.find((g) => g.role === 'athlete' && g.athleteId)?.athleteId ?? null;
  }

  async load(): Promise<PortalMe> {
    const me = await get<PortalMe>('/api/me');
    this.me = me;
    return me;
  }

  async signIn(email: string, password: string): Promise<void> {
    const result = await post<LoginResult>('/api/auth/login', { email, password });
    storeToken(result.token, result.expiresAt);
    await this.load();
  }

  signOut(): void {
    forgetToken();
    this.me = null;
  }
}

export const portal = new PortalSession();
