/**
 * Workout files: POST the raw bytes (application/octet-stream, at most 20 MB) with the file's
 * name in the query; the answer is the stored summary. The byte parser lives in this plugin only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { TouchlineError } from '@touchline/core';
import { principalOf } from '../http/access.plugin.ts';
import { errorResponses, IdParams } from '../schemas/common.schema.ts';
import { Workout, WorkoutUploadQuery } from '../schemas/analytics.schema.ts';
import type { WorkoutService } from '../services/workout.service.ts';

export const MAX_WORKOUT_BYTES = 20 * 1024 * 1024;

export const workoutRoutes: FastifyPluginAsyncTypebox<{ workouts: WorkoutService }> = async (app, { workouts }) => {
  const tooLarge = () => new TouchlineError('TL_ERR_WORKOUT_TOO_LARGE', `The file is larger than ${MAX_WORKOUT_BYTES / 1024 / 1024} MB; upload one activity at a time`);
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: MAX_WORKOUT_BYTES }, async (_request: FastifyRequest, body: Buffer) => body);
  app.setErrorHandler((error: FastifyError) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw tooLarge();
    throw error;
  });

  app.get('/api/athletes/:id/workouts', {
    config: { access: 'user' },
    schema: { tags: ['analytics'], summary: "The athlete's uploaded workouts, newest first", params: IdParams, response: { 200: Type.Array(Workout), ...errorResponses } },
  }, async (request) => workouts.list(principalOf(request), request.params.id));

  app.post('/api/athletes/:id/workouts', {
    config: { access: 'user' },
    bodyLimit: MAX_WORKOUT_BYTES,
    schema: {
      tags: ['analytics'],
      summary: 'Upload a workout file (FIT, GPX, TCX or CSV) as raw bytes; it counts towards its day\'s load',
      description: 'Send the file as the body with Content-Type: application/octet-stream. A file that cannot be read answers 400 TL_ERR_WORKOUT_INVALID and stores nothing.',
      params: IdParams,
      querystring: WorkoutUploadQuery,
      response: { 200: Workout, ...errorResponses },
    },
  }, async (request) => {
    if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
      throw new TouchlineError('TL_ERR_WORKOUT_INVALID', 'Send the file as the body with Content-Type: application/octet-stream', { reason: 'NO_FILE' });
    }
    return workouts.upload(principalOf(request), request.params.id, request.query.filename, request.body);
  });
};
