import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../schemas/common.schema.ts';
import { HubSettings, SettingsPatch } from '../schemas/settings.schema.ts';
import { principalOf } from '../http/access.plugin.ts';
import type { SettingsService } from '../services/settings.service.ts';
import type { AuthService } from '../auth/auth.service.ts';

export const settingsRoutes: FastifyPluginAsyncTypebox<{ settings: SettingsService; auth: AuthService }> = async (app, { settings, auth }) => {
  app.get('/api/settings', {
    config: { role: 'display' },
    schema: { tags: ['settings'], summary: 'Operator settings: names on the wall screen, default HR zones and speed thresholds', response: { 200: HubSettings, ...errorResponses } },
  }, async () => settings.get());

  app.patch('/api/settings', {
    config: { role: 'admin' },
    schema: {
      tags: ['settings'],
      summary: 'Change settings (a new default zone or threshold restarts the live totals of athletes who use it)',
      body: SettingsPatch,
      response: { 200: HubSettings, ...errorResponses },
    },
  }, async (request) => {
    const { settings: next, changed } = await settings.update(request.body);
    if (changed.length > 0) {
      await auth.audit(principalOf(request).actor, 'settings.update', null, Object.fromEntries(changed.map((key) => [key, next[key]])));
    }
    return next;
  });
};
