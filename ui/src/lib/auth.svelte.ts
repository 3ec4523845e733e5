/** Who is signed in, and what their role lets the UI show (display < staff < admin, as the hub checks). */
import { ApiError, get, post } from './api.ts';
import type { Me, Role } from './types.ts';

const ROLES: readonly Role[] = ['display', 'staff', 'admin'];

export function roleAtLeast(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

class Auth {
  /** null until known; `signedOut` when the hub refused the cookie. */
  me = $state<Me | null>(null);
  signedOut = $state(false);

  can(needed: Role): boolean {
    return !this.signedOut && roleAtLeast(this.me?.role, needed);
  }

  /** Asks the hub; resolves to the principal, or null when a sign-in (or first setup) is needed. */
  async refresh(): Promise<Me | null> {
    try {
      const me = await get<Me>('/api/auth/me');
      this.me = me;
      this.signedOut = me.setupRequired;
      return me.setupRequired ? null : me;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.me = null;
        this.signedOut = true;
        return null;
      }
      throw error;
    }
  }

  async login(name: string, password: string, setup: boolean): Promise<void> {
    const signedIn = await post<{ role: Role; name: string }>(setup ? '/api/auth/setup' : '/api/auth/login', { name, password });
    this.me = { role: signedIn.role, name: signedIn.name, setupRequired: false };
    this.signedOut = false;
  }

  async logout(): Promise<void> {
    try {
      await post('/api/auth/logout');
    } finally {
      this.me = null;
      this.signedOut = true;
    }
  }
}

export const auth = new Auth();
