/** Shapes shared across central's API. One schema per shape drives validation, types and /docs. */
import Type from 'typebox';

export const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Uuid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$', description: 'UUID' });

/** Times cross the API as Unix milliseconds, as everywhere in Touchline. */
export const UnixMs = Type.Integer({ minimum: 0, maximum: 4_102_444_800_000, description: 'Unix ms (before 2100)' });

export const ErrorBody = Type.Object({
  code: Type.String({ description: 'A TL_ERR_ code from docs/errors.md' }),
  message: Type.String(),
  detail: Type.Optional(Type.Unknown()),
});

export const IdParams = Type.Object({ id: Uuid });

export const Ok = Type.Object({ ok: Type.Literal(true) });

/** Standard error responses, so /docs shows what each route can answer. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  413: ErrorBody,
  422: ErrorBody,
  429: ErrorBody,
  503: ErrorBody,
};
