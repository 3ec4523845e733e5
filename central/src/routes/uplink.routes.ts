/**
 * The hubs' door: `POST /api/uplink/batches`, gzip-compressed JSON under a hub credential. The
 * body is inflated here, in this plugin's own JSON parser, with a ceiling on the inflated size, so
 * a few kilobytes that would inflate to gigabytes (a gzip bomb) are refused at the ceiling. The
 * credential is checked first (onRequest), so no anonymous body is ever inflated.
 */
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import { TouchlineError } from '@touchline/core';
import { errorResponses } from '../schemas/common.schema.ts';
import { UplinkAck, UplinkBatch } from '../schemas/uplink.schema.ts';
import { hubOf } from '../http/access.plugin.ts';
import type { UplinkIngestService } from '../services/uplink-ingest.service.ts';

const inflate = promisify(gunzip);

export interface UplinkRouteOptions {
  ingest: UplinkIngestService;
  maxBatchBytes: number;
  maxInflatedBytes: number;
}

export const uplinkRoutes: FastifyPluginAsyncTypebox<UplinkRouteOptions> = async (app, { ingest, maxBatchBytes, maxInflatedBytes }) => {
  const tooLarge = (what: string, limit: number) =>
    new TouchlineError('TL_ERR_UPLINK_TOO_LARGE', `The batch is larger than ${limit} bytes ${what}; send fewer readings per batch`);

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: maxBatchBytes }, async (request: FastifyRequest, raw: Buffer) => {
    const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase();
    let text: Buffer;
    if (encoding === 'gzip') {
      try {
        text = await inflate(raw, { maxOutputLength: maxInflatedBytes });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge('once inflated', maxInflatedBytes);
        throw new TouchlineError('TL_ERR_UPLINK_MALFORMED', `The body is not valid gzip: ${(err as Error).message}`);
      }
    } else if (encoding === 'identity') {
      text = raw;
    } else {
      throw new TouchlineError('TL_ERR_UPLINK_MALFORMED', `Content-Encoding "${encoding}" is not supported; send gzip`);
    }
    try {
      return JSON.parse(text.toString('utf8')) as unknown;
    } catch (err) {
      throw new TouchlineError('TL_ERR_UPLINK_MALFORMED', `The batch is not valid JSON: ${(err as Error).message}`);
    }
  });
  app.setErrorHandler((error: FastifyError) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw tooLarge('compressed', maxBatchBytes);
    throw error;
  });

  app.post('/api/uplink/batches', {
    config: { access: 'hub' },
    bodyLimit: maxBatchBytes,
    schema: {
      tags: ['uplink'],
      summary: "Store a batch of a hub's readings exactly once; answers the highest sequence number stored without gaps",
      description: 'Send the batch gzip-compressed (Content-Encoding: gzip) as application/json, with the hub credential as Bearer token. See docs/uplink.md.',
      body: UplinkBatch,
      response: { 200: UplinkAck, ...errorResponses },
    },
  }, async (request) => ingest.ingest(hubOf(request), request.body));
};
