import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { errorResponses, IdParams, Ok } from '../schemas/common.schema.ts';
import { Credentials, DisplayTokenInput, Me, NewDisplayToken, SignedIn, UserInput, UserPatch } from '../schemas/auth.schema.ts';
import { TOKEN_COOKIE, principalOf, tokenOf } from '../http/access.plugin.ts';
import type { AuthService } from '../auth/auth.service.ts';

/** The wall screen's link as a QR code. The encoder loads on first use: wall screens are set up once. */
async function qrCodeSvg(url: string): Promise<string> {
  const { default: QRCode } = await import('qrcode');
  return QRCode.toString(url, { type: 'svg', margin: 1 });
}

function sessionCookie(token: string, maxAgeS: number): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${Math.round(maxAgeS)}`;
}

export const authRoutes: FastifyPluginAsyncTypebox<{ auth: AuthService; sessionHours: number }> = async (app, { auth, sessionHours }) => {
  app.get('/api/auth/me', {
    config: { role: 'public' },
    schema: { tags: ['auth'], summary: 'Who is signed in (and whether the hub still needs its first admin)', response: { 200: Me, ...errorResponses } },
  }, async (request, reply) => {
    if (auth.setupRequired) return { role: 'display' as const, name: '', setupRequired: true };
    const principal = await auth.authenticate(tokenOf(request));
    if (!principal) return reply.status(401).send({ code: 'TL_ERR_AUTH_REQUIRED', message: 'Sign in first, or the session has expired.' });
    return { role: principal.role, name: principal.actor, setupRequired: false };
  });

  app.post('/api/auth/setup', {
    config: { role: 'public' },
    schema: { tags: ['auth'], summary: 'First start: create the first admin (refused once one exists)', body: Credentials, response: { 200: SignedIn, ...errorResponses } },
  }, async (request, reply) => {
    const { token, principal } = await auth.setup(request.body.name, request.body.password);
    reply.header('set-cookie', sessionCookie(token, sessionHours * 3600));
    return { token, role: principal.role, name: principal.actor };
  });

  app.post('/api/auth/login', {
    config: { role: 'public' },
    schema: { tags: ['auth'], summary: 'Sign in with name and password or PIN (rate-limited)', body: Credentials, response: { 200: SignedIn, ...errorResponses } },
  }, async (request, reply) => {
    const { token, principal } = await auth.login(request.body.name, request.body.password, request.ip);
    reply.header('set-cookie', sessionCookie(token, sessionHours * 3600));
    return { token, role: principal.role, name: principal.actor };
  });

  app.post('/api/auth/logout', {
    config: { role: 'display' },
    schema: { tags: ['auth'], summary: 'Sign out (revokes this token)', response: { 200: Ok, ...errorResponses } },
  }, async (request, reply) => {
    await auth.logout(principalOf(request));
    reply.header('set-cookie', sessionCookie('', 0));
    return { ok: true as const };
  });

  app.get('/api/users', {
    config: { role: 'admin' },
    schema: { tags: ['auth'], summary: 'Staff accounts', response: { 200: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), role: Type.String(), createdAt: Type.Integer(), disabled: Type.Boolean() })), ...errorResponses } },
  }, async () => (await auth.listUsers()).map((u) => ({ id: u.id, name: u.name, role: u.role, createdAt: u.created_at, disabled: u.disabled_at !== null })));

  app.post('/api/users', {
    config: { role: 'admin' },
    schema: { tags: ['auth'], summary: 'Create a staff or admin account', body: UserInput, response: { 200: Type.Object({ id: Type.String(), name: Type.String(), role: Type.String() }), ...errorResponses } },
  }, async (request) => auth.createUser(principalOf(request), request.body.name, request.body.role, request.body.password));

  app.patch('/api/users/:id', {
    config: { role: 'admin' },
    schema: { tags: ['auth'], summary: 'Change a role, reset a password or disable an account (signs the user out)', params: IdParams, body: UserPatch, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    const { role, password, disabled } = request.body;
    await auth.updateUser(principalOf(request), request.params.id, { role, secret: password, disabled });
    return { ok: true as const };
  });

  app.post('/api/display-tokens', {
    config: { role: 'admin' },
    schema: { tags: ['auth'], summary: 'A read-only token for a wall screen, with its URL as a QR code', body: DisplayTokenInput, response: { 200: NewDisplayToken, ...errorResponses } },
  }, async (request) => {
    const { token, id } = await auth.createDisplayToken(principalOf(request), request.body.label);
    const url = `${request.protocol}://${request.host}/wall?token=${token}`;
    return { id, token, url, qrSvg: await qrCodeSvg(url) };
  });

  app.get('/api/display-tokens', {
    config: { role: 'admin' },
    schema: { tags: ['auth'], summary: 'Display tokens (without the secrets)', response: { 200: Type.Array(Type.Object({ id: Type.String(), label: Type.Union([Type.String(), Type.Null()]), createdAt: Type.Integer(), revokedAt: Type.Union([Type.Integer(), Type.Null()]) })), ...errorResponses } },
  }, async () => auth.listDisplayTokens());

  app.delete('/api/display-tokens/:id', {
    config: { role: 'admin' },
    schema: { tags: ['auth'], summary: 'Revoke a display token', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    await auth.revokeDisplayToken(principalOf(request), request.params.id);
    return { ok: true as const };
  });

  app.get('/api/audit', {
    config: { role: 'admin' },
    schema: {
      tags: ['auth'],
      summary: 'The audit log, newest first',
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }), before: Type.Optional(Type.Integer()) }),
      response: { 200: Type.Array(Type.Object({ id: Type.Integer(), t: Type.Integer(), actor: Type.String(), action: Type.String(), target: Type.Union([Type.String(), Type.Null()]), detail: Type.Unknown() })), ...errorResponses },
    },
  }, async (request) => (await auth.listAudit(request.query.limit, request.query.before)).map((e) => ({ ...e, detail: JSON.parse(e.detail) as unknown })));
};
