/**
 * Single sign-on against a real OpenID Connect provider (oidc-provider) on a loopback port. The
 * test plays the browser with fetch: it follows each redirect by hand, keeps each side's cookies,
 * and answers the provider's login interaction as a user would (by naming the account).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCentral, type TestCentral } from './test-central.ts';

interface Account {
  email: string;
  email_verified: boolean;
}

const CLIENT = { id: 'touchline-central', secret: 'central-client-secret-0123456789' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Cookies of one site, as a browser would keep them (expired ones dropped). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  has(name: string): boolean {
    return this.cookies.has(name);
  }
}

describe('single sign-on (OpenID Connect)', () => {
  let t: TestCentral;
  let providerServer: Server;
  let issuer: string;
  let db: pg.Client;
  const accounts = new Map<string, Account>();
  /** The account the "user" signs in as at the provider's login page. */
  let signInAs = '';

  beforeAll(async () => {
    providerServer = createServer();
    await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
    const centralPort = await freePort();
    const redirectUrl = `http://127.0.0.1:${centralPort}/api/auth/oidc/callback`;

    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const provider = new Provider(issuer, {
      clients: [{ client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_uris: [redirectUrl], grant_types: ['authorization_code'], response_types: ['code'] }],
      jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test' }] },
      cookies: { keys: ['provider-cookie-key-0123456789'] },
      ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600 },
      claims: { openid: ['sub'], email: ['email', 'email_verified'] },
      features: { devInteractions: { enabled: false } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx, sub) => {
        const account = accounts.get(sub);
        return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
      },
      // A first-party client: the user is not asked to consent to the scopes.
      loadExistingGrant: async (ctx) => {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
        grant.addOIDCScope('openid email profile');
        await grant.save();
        return grant;
      },
    });
    const callback = provider.callback();
    providerServer.on('request', (req, res) => {
      if (req.url?.startsWith('/interaction/')) {
        // The provider's login page: the user proves who they are and names the account.
        provider
          .interactionDetails(req, res)
          .then(() => provider.interactionFinished(req, res, { login: { accountId: signInAs } }, { mergeWithLastSubmission: false }))
          .catch((err: Error) => {
            res.statusCode = 500;
            res.end(err.message);
          });
        return;
      }
      callback(req, res);
    });

    t = await startTestCentral({
      port: centralPort,
      config: { oidcIssuerUrl: issuer, oidcClientId: CLIENT.id, oidcClientSecret: CLIENT.secret, oidcRedirectUrl: redirectUrl, oidcName: 'Club login' },
    });
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
    await new Promise((resolve) => providerServer?.close(resolve));
  });

  /**
   * Runs the browser's part up to the provider's redirect back to central; returns that URL and
   * central's cookie jar (holding the flow cookie).
   */
  async function untilCallback(account: string): Promise<{ callbackUrl: URL; centralJar: CookieJar }> {
    signInAs = account;
    const centralJar = new CookieJar();
    const providerJar = new CookieJar();
    const start = await fetch(`${t.url}/api/auth/oidc/start`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    centralJar.take(start);
    expect(centralJar.has('tl_oidc')).toBe(true);
    let location = new URL(start.headers.get('location')!);
    expect(location.origin).toBe(issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    for (let hop = 0; hop < 10; hop++) {
      if (location.origin !== issuer) return { callbackUrl: location, centralJar };
      const res = await fetch(location, { redirect: 'manual', headers: { cookie: providerJar.header() } });
      providerJar.take(res);
      if (res.status < 300 || res.status >= 400) throw new Error(`provider answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
      location = new URL(res.headers.get('location')!, location);
    }
    throw new Error('too many redirects');
  }

  async function callCentral(url: URL, jar: CookieJar | null): Promise<URL> {
    const target = new URL(url.pathname + url.search, t.url);
    const res = await fetch(target, { redirect: 'manual', headers: jar ? { cookie: jar.header() } : {} });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!, t.url);
  }

  const fragment = (url: URL) => new URLSearchParams(url.hash.slice(1));

  it('says single sign-on is available and how to label it', async () => {
    expect((await t.api('GET', '/api/auth/oidc', undefined, null)).body).toEqual({ enabled: true, name: 'Club login' });
  });

  it('signs in a user an admin created, by verified email, then by the provider subject', async () => {
    const user = await t.api<{ id: string }>('POST', '/api/users', { email: 'Coach.Sso@example.org', name: 'SSO coach', grants: [{ role: 'analyst' }] });
    expect(user.status).toBe(200);
    accounts.set('acc-coach', { email: 'coach.sso@EXAMPLE.org', email_verified: true });

    const { callbackUrl, centralJar } = await untilCallback('acc-coach');
    expect(callbackUrl.pathname).toBe('/api/auth/oidc/callback');
    const landed = await callCentral(callbackUrl, centralJar);
    expect(landed.pathname).toBe('/portal/login');
    const token = fragment(landed).get('token');
    expect(token, landed.hash).toBeTruthy();
    const me = await t.api<{ id: string; email: string }>('GET', '/api/me', undefined, token);
    expect(me.body.id).toBe(user.body.id);

    const identities = (await db.query('select issuer, subject from user_identities where user_id = $1', [user.body.id])).rows;
    expect(identities).toEqual([{ issuer, subject: 'acc-coach' }]);
    const logins = (await db.query(`select detail from audit_log where action = 'auth.login' and target = $1`, [user.body.id])).rows;
    expect(logins).toEqual([{ detail: { method: 'oidc' } }]);

    // The email changes at the provider; the stored subject still finds the user.
    accounts.set('acc-coach', { email: 'renamed@example.org', email_verified: true });
    const again = await untilCallback('acc-coach');
    const second = await callCentral(again.callbackUrl, again.centralJar);
    const token2 = fragment(second).get('token');
    expect((await t.api<{ id: string }>('GET', '/api/me', undefined, token2)).body.id).toBe(user.body.id);
  });

  it('refuses accounts that match no user, or only by an unverified email', async () => {
    accounts.set('acc-stranger', { email: 'stranger@example.org', email_verified: true });
    const stranger = await untilCallback('acc-stranger');
    const refused = await callCentral(stranger.callbackUrl, stranger.centralJar);
    expect(refused.pathname).toBe('/portal/login');
    expect(fragment(refused).get('error')).toBe('TL_ERR_OIDC_UNKNOWN_USER');
    expect(fragment(refused).get('token')).toBeNull();
    expect(Number((await db.query(`select count(*) as n from users where lower(email) = 'stranger@example.org'`)).rows[0].n)).toBe(0);

    await t.api('POST', '/api/users', { email: 'unverified@example.org', name: 'Unverified', grants: [] });
    accounts.set('acc-unverified', { email: 'unverified@example.org', email_verified: false });
    const unverified = await untilCallback('acc-unverified');
    const refused2 = await callCentral(unverified.callbackUrl, unverified.centralJar);
    expect(fragment(refused2).get('error')).toBe('TL_ERR_OIDC_UNKNOWN_USER');
    expect(fragment(refused2).get('message')).toContain('not verified');

    const audit = (await db.query(`select actor from audit_log where action = 'auth.oidc-refused' order by id`)).rows.map((r) => r.actor);
    expect(audit).toEqual([`oidc:${issuer}#acc-stranger`, `oidc:${issuer}#acc-unverified`]);
  });

  it('refuses an answer whose state does not match the browser that started the sign-in', async () => {
    await t.api('POST', '/api/users', { email: 'state@example.org', name: 'State', grants: [] });
    accounts.set('acc-state', { email: 'state@example.org', email_verified: true });

    const tampered = await untilCallback('acc-state');
    tampered.callbackUrl.searchParams.set('state', 'forged-state');
    const bad = await callCentral(tampered.callbackUrl, tampered.centralJar);
    expect(fragment(bad).get('error')).toBe('TL_ERR_OIDC_FAILED');
    expect(fragment(bad).get('token')).toBeNull();

    // A genuine answer arriving in a browser that did not start the sign-in (no flow cookie).
    const foreign = await untilCallback('acc-state');
    const noCookie = await callCentral(foreign.callbackUrl, null);
    expect(fragment(noCookie).get('error')).toBe('TL_ERR_OIDC_FAILED');

    // Another sign-in's cookie does not fit either.
    const mine = await untilCallback('acc-state');
    const theirs = await untilCallback('acc-state');
    const swapped = await callCentral(theirs.callbackUrl, mine.centralJar);
    expect(fragment(swapped).get('error')).toBe('TL_ERR_OIDC_FAILED');
    expect(Number((await db.query(`select count(*) as n from user_identities where subject = 'acc-state'`)).rows[0].n)).toBe(0);
  });
});
