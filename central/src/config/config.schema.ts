/**
 * Central's configuration: a handful of keys, each overridable by an environment variable
 * (`DATABASE_URL`, or `TOUCHLINE_CENTRAL_<KEY>` such as `TOUCHLINE_CENTRAL_PORT=8091`).
 * Validated once at start-up; nothing else reads the environment.
 */
import Type, { type Static } from 'typebox';

export const CentralConfigSchema = Type.Object(
  {
    host: Type.String({ default: '0.0.0.0' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8090 }),
    dataDir: Type.String({ minLength: 1, default: './data', description: 'Holds the embedded PostgreSQL (central-pg/) and the JWT secret when no other location is given.' }),
    databaseUrl: Type.String({ default: '', pattern: '^(postgres(ql)?://.*)?$', description: 'PostgreSQL connection string; empty starts an embedded server in <dataDir>/central-pg.' }),
    jwtSecretFile: Type.String({ default: '', description: 'File with the secret that signs portal tokens; empty means <dataDir>/jwt-secret, created on first start.' }),
    tokenMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 15 }),
    adminEmail: Type.String({ default: '', maxLength: 254, description: 'Creates this first admin (with a password printed once) when central has no admin yet.' }),
    enrolmentCodeHours: Type.Number({ exclusiveMinimum: 0, maximum: 24 * 30, default: 72 }),
    maxBatchBytes: Type.Integer({ minimum: 1024, default: 16 * 1024 * 1024, description: 'Largest compressed uplink batch.' }),
    maxInflatedBytes: Type.Integer({ minimum: 1024, default: 128 * 1024 * 1024, description: 'Largest uplink batch once inflated: a gzip bomb stops here.' }),
    maxBatchRows: Type.Integer({ minimum: 1, default: 200_000 }),
    oidcIssuerUrl: Type.String({ default: '', pattern: '^(https?://.+)?$', description: 'Single sign-on: the OpenID Connect issuer (e.g. https://login.example.org/realms/club). Empty turns single sign-on off.' }),
    oidcClientId: Type.String({ default: '', description: 'Single sign-on: the client id central is registered under at the provider.' }),
    oidcClientSecret: Type.String({ default: '', description: 'Single sign-on: the client secret (empty for a public client, which then relies on PKCE alone).' }),
    oidcRedirectUrl: Type.String({ default: '', pattern: '^(https?://.+)?$', description: 'Single sign-on: the public URL of GET /api/auth/oidc/callback, exactly as registered at the provider.' }),
    oidcName: Type.String({ default: 'Single sign-on', maxLength: 60, description: 'Single sign-on: the button label on the portal sign-in page, e.g. the provider\'s name.' }),
    uiDir: Type.String({ default: '', description: "Folder of the web app's static build that central serves at /portal; empty means the repository's ui/build." }),
  },
  { additionalProperties: false },
);

export type CentralConfig = Static<typeof CentralConfigSchema>;
