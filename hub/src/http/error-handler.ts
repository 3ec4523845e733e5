/**
 * One error handler: coded errors become `{ code, message }` with their catalog status, schema
 * failures become TL_ERR_VALIDATION naming the field, and anything else is logged and answered
 * with a bare 500 so internals never leak to a client.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { isTouchlineError } from '@touchline/core/metrics';

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isTouchlineError(error)) {
      return reply.status(error.status).send({ code: error.code, message: error.message, ...(error.detail ? { detail: error.detail } : {}) });
    }
    if (error.validation) {
      const message = `${error.validationContext ?? 'request'}${error.message.startsWith('/') ? '' : ' '}${error.message}`;
      return reply.status(400).send({ code: 'TL_ERR_VALIDATION', message });
    }
    if (error.statusCode && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ code: 'TL_ERR_VALIDATION', message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ code: 'TL_ERR_INTERNAL', message: 'The hub hit an internal error; it has been logged.' });
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ code: 'TL_ERR_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` }));
}
