/** Shapes shared across the hub API. One schema per shape drives validation, types and /docs. */
import Type from 'typebox';

export const ErrorBody = Type.Object(
  { code: Type.String({ description: 'A TL_ERR_ code from docs/errors.md' }), message: Type.String(), detail: Type.Optional(Type.Unknown()) },
  { $id: 'ErrorBody' },
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const Ok = Type.Object({ ok: Type.Literal(true) });

/** Standard error responses, so /docs shows what each route can answer. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  429: ErrorBody,
};
