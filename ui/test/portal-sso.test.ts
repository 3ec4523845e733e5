/**
 * Portal single sign-on in a real browser: Chromium clicks "Sign in with …" on the portal, goes
 * through a real OpenID Connect provider (oidc-provider on loopback, whose login step names the
 * account as a user would) and comes back to central, which hands the portal its token in the
 * address fragment. The portal must pick the token up, drop it from the address and sign the user
 * in; an account central does not know must land back on the sign-in page with the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startTestCentral, type TestCentral } from '../../central/test/test-central.ts';

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'screenshots');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WAIT = 20_000;
const CLIENT = { id: 'touchline-portal-test', secret: 'portal-client-secret-0123456789' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('portal single sign-on in a real browser', () => {
  let t: TestCentral;
  let providerServer: Server;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const accounts = new Map<string, { email: string; email_verified: boolean }>();
  /** The account the user names at the provider's login step. */
  let signInAs = '';

  const poll = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: WAIT, interval: 100 });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    providerServer = createServer();
    await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}`;
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
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx: unknown, sub: string) => {
        const account = accounts.get(sub);
        return account ? { accountId: sub, claims: () => ({ sub, ...account }) } : undefined;
      },
      // A first-party client: the user is not asked to consent to the scopes.
      loadExistingGrant: async (ctx: { oidc: { provider: Provider; client?: { clientId: string }; session?: { accountId?: string } } }) => {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
        grant.addOIDCScope('openid email profile');
        await grant.save();
        return grant;
      },
    });
    const callback = provider.callback();
    providerServer.on('request', (req, res) => {
      if (req.url?.startsWith('/interaction/')) {
        // The provider's login step: the user proves who they are by naming the account.
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
    expect((await t.api('POST', '/api/users', { email: 'analyst@example.org', name: 'Ana Lyst', grants: [{ role: 'analyst' }] })).status).toBe(200);
    accounts.set('acc-analyst', { email: 'analyst@example.org', email_verified: true });
    accounts.set('acc-stranger', { email: 'stranger@example.org', email_verified: true });

    profile = mkdtempSync(join(tmpdir(), 'touchline-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 860 } });
    page = context.pages()[0] ?? (await context.newPage());
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await t?.close();
    await new Promise((resolve) => providerServer?.close(resolve));
    if (profile) rmSync(profile, { recursive: true, force: true });
  }, 60_000);

  it('turns an account central does not know away with the reason', async () => {
    signInAs = 'acc-stranger';
    await page.goto(`${t.url}/portal/login`);
    await page.click('[data-testid=sso]');
    // Central's reason names the email the provider vouched for.
    await poll(() => page.locator('[data-testid=login-error]').textContent()).toContain('stranger@example.org');
    expect(new URL(page.url()).pathname).toBe('/portal/login');
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => localStorage.getItem('touchline.portal.token'))).toBeNull();
  });

  it('signs a known user in through the provider and keeps the token out of the address', async () => {
    signInAs = 'acc-analyst';
    // A new provider session, as for another person at another browser.
    await context.clearCookies();
    await page.goto(`${t.url}/portal/login`);
    await poll(() => page.locator('[data-testid=sso]').textContent()).toBe('Sign in with Club login');
    await page.click('[data-testid=sso]');
    await page.waitForURL((u) => u.pathname === '/portal', { timeout: WAIT });
    expect(new URL(page.url()).hash).toBe('');
    await poll(() => page.locator('[data-testid=portal-user]').textContent()).toMatch(/^Ana Lyst\s+analyst$/);
    await page.screenshot({ path: join(SHOTS, 'portal-sso-signed-in.png') });
  });
});
