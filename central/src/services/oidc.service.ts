/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE, state and nonce), via
 * openid-client. Central never creates users here: the provider's account must match a portal
 * user an admin created, first by verified email, after that by the provider's subject (kept in
 * user_identities, so the link survives an email change at the provider).
 *
 * The flow's secrets (state, PKCE verifier, nonce) travel in a short-lived, signed, HttpOnly
 * cookie scoped to the OIDC routes, which binds the callback to the browser that started it and
 * needs no server-side storage (several central processes may share the work).
 */
import * as client from 'openid-client';
import { jwtVerify, SignJWT } from 'jose';
import { TouchlineError } from '@touchline/core';
import type { UserRepository } from '../repositories/user.repository.ts';
import type { AuthService, SignIn } from './auth.service.ts';

export interface OidcSettings {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUrl: string;
  name: string;
}

/** The oidc* settings of central's configuration. */
export function oidcSettings(config: { oidcIssuerUrl: string; oidcClientId: string; oidcClientSecret: string; oidcRedirectUrl: string; oidcName: string }): OidcSettings {
  return { issuerUrl: config.oidcIssuerUrl, clientId: config.oidcClientId, clientSecret: config.oidcClientSecret, redirectUrl: config.oidcRedirectUrl, name: config.oidcName };
}

export const OIDC_COOKIE = 'tl_oidc';
export const OIDC_COOKIE_PATH = '/api/auth/oidc';
const FLOW_SECONDS = 600;
const FLOW_AUDIENCE = 'touchline-oidc-flow';
const SCOPE = 'openid email profile';

interface Flow {
  state: string;
  verifier: string;
  nonce: string;
}

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

/** Errors about the answer itself (refused, tampered, replayed) versus not reaching the provider. */
function isRefusal(err: unknown): boolean {
  if (err instanceof client.AuthorizationResponseError || err instanceof client.ResponseBodyError) return true;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('OAUTH_');
}

export class OidcService {
  private readonly settings: OidcSettings;
  private readonly users: UserRepository;
  private readonly auth: AuthService;
  private readonly secret: Uint8Array;
  private readonly now: () => number;
  private configuration: Promise<client.Configuration> | undefined;

  constructor(deps: { settings: OidcSettings; users: UserRepository; auth: AuthService; secret: Uint8Array; now?: () => number }) {
    this.settings = deps.settings;
    this.users = deps.users;
    this.auth = deps.auth;
    this.secret = deps.secret;
    this.now = deps.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.settings.issuerUrl !== '' && this.settings.clientId !== '' && this.settings.redirectUrl !== '';
  }

  info() {
    return { enabled: this.enabled, name: this.settings.name };
  }

  /** Whether the flow cookie needs `Secure` (always, except for a plain-http redirect URL in development). */
  get secureCookie(): boolean {
    return this.settings.redirectUrl.startsWith('https:');
  }

  /** The provider's metadata, fetched once; a failed fetch is retried on the next sign-in. */
  private config(): Promise<client.Configuration> {
    if (!this.enabled) return Promise.reject(new TouchlineError('TL_ERR_OIDC_DISABLED'));
    this.configuration ??= (async () => {
      const issuer = new URL(this.settings.issuerUrl);
      try {
        return await client.discovery(
          issuer,
          this.settings.clientId,
          this.settings.clientSecret || undefined,
          this.settings.clientSecret ? undefined : client.None(),
          // Plain http only for a provider on this machine (development and tests).
          isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
        );
      } catch (err) {
        this.configuration = undefined;
        throw new TouchlineError('TL_ERR_OIDC_UNAVAILABLE', `Cannot read the OpenID Connect configuration of ${issuer.href}: ${(err as Error).message}`);
      }
    })();
    return this.configuration;
  }

  /** Where to send the browser, and the cookie that carries the flow's secrets until the callback. */
  async start(): Promise<{ location: string; cookie: string }> {
    const config = await this.config();
    const flow: Flow = { state: client.randomState(), verifier: client.randomPKCECodeVerifier(), nonce: client.randomNonce() };
    const location = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: SCOPE,
      response_type: 'code',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
    });
    const nowS = Math.floor(this.now() / 1000);
    const cookie = await new SignJWT({ ...flow })
      .setProtectedHeader({ alg: 'HS256' })
      .setAudience(FLOW_AUDIENCE)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + FLOW_SECONDS)
      .sign(this.secret);
    return { location: location.href, cookie };
  }

  cookieMaxAge(): number {
    return FLOW_SECONDS;
  }

  /**
   * Completes the sign-in: checks the flow cookie against the answer's state, exchanges the code
   * (PKCE) and checks the ID token (nonce), then finds the portal user and issues a portal token.
   */
  async callback(query: Record<string, string | undefined>, flowCookie: string | undefined): Promise<SignIn> {
    const config = await this.config();
    const failed = (why: string) => new TouchlineError('TL_ERR_OIDC_FAILED', why);
    if (query.error) throw failed(`The provider refused the sign-in: ${query.error}${query.error_description ? ` (${query.error_description})` : ''}`);
    const flow = await this.readFlow(flowCookie);
    if (!flow) throw failed('This sign-in was not started here or has expired; start it again from the sign-in page');
    if (!query.state || query.state !== flow.state) throw failed('The sign-in answer does not belong to this browser (state mismatch); start again');

    const currentUrl = new URL(this.settings.redirectUrl);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) currentUrl.searchParams.set(key, value);
    let claims: client.IDToken | undefined;
    let profile: Record<string, unknown> | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
      // Many providers put the email in the ID token; the others answer it at the userinfo endpoint.
      if (claims) profile = typeof claims.email === 'string' ? claims : await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    } catch (err) {
      if (isRefusal(err)) throw failed(`The provider's answer was refused: ${(err as Error).message}`);
      throw new TouchlineError('TL_ERR_OIDC_UNAVAILABLE', `Cannot complete the sign-in with the provider: ${(err as Error).message}`);
    }
    if (!claims || !profile) throw failed('The provider sent no ID token');

    const issuer = claims.iss;
    const subject = claims.sub;
    const email = typeof profile.email === 'string' ? profile.email : null;
    const verified = profile.email_verified === true;
    let user = await this.users.findByIdentity(issuer, subject);
    if (!user && email && verified) user = await this.users.findByEmail(email);
    if (!user || user.disabled_at) {
      await this.users.audit(`oidc:${issuer}#${subject}`, 'auth.oidc-refused', null, { email, emailVerified: verified, disabled: Boolean(user?.disabled_at) });
      const hint = email && !verified ? `the provider has not verified ${email}` : `no enabled portal user has ${email ? `the email ${email}` : 'this account'}`;
      throw new TouchlineError('TL_ERR_OIDC_UNKNOWN_USER', `Sign-in refused: ${hint}. Ask an admin to create your portal user.`);
    }
    await this.users.linkIdentity(user.id, issuer, subject, email, new Date(this.now()));
    return this.auth.issue(user, 'oidc');
  }

  private async readFlow(cookie: string | undefined): Promise<Flow | null> {
    if (!cookie) return null;
    try {
      const { payload } = await jwtVerify(cookie, this.secret, { audience: FLOW_AUDIENCE, algorithms: ['HS256'], currentDate: new Date(this.now()) });
      const { state, verifier, nonce } = payload as Record<string, unknown>;
      return typeof state === 'string' && typeof verifier === 'string' && typeof nonce === 'string' ? { state, verifier, nonce } : null;
    } catch {
      return null;
    }
  }
}
