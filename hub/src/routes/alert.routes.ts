import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { errorResponses, IdParams, Ok } from '../schemas/common.schema.ts';
import { Alert, AlertQuery, AlertRule, AlertRuleInput, AlertRulePatch } from '../schemas/alert.schema.ts';
import { principalOf } from '../http/access.plugin.ts';
import type { AlertService } from '../services/alert.service.ts';
import type { AuthService } from '../auth/auth.service.ts';

export const alertRoutes: FastifyPluginAsyncTypebox<{ alerts: AlertService; auth: AuthService }> = async (app, { alerts, auth }) => {
  app.get('/api/alerts', {
    config: { role: 'display' },
    schema: { tags: ['alerts'], summary: 'Raised alerts, newest first', querystring: AlertQuery, response: { 200: Type.Array(Alert), ...errorResponses } },
  }, async (request) => alerts.list(request.query));

  app.post('/api/alerts/:id/ack', {
    config: { role: 'staff' },
    schema: { tags: ['alerts'], summary: 'Acknowledge an alert (every screen is told); acknowledging twice is a conflict', params: IdParams, response: { 200: Alert, ...errorResponses } },
  }, async (request) => {
    const { actor } = principalOf(request);
    const alert = await alerts.acknowledge(request.params.id, actor);
    await auth.audit(actor, 'alert.ack', alert.id, { kind: alert.kind, athleteId: alert.athleteId });
    return alert;
  });

  app.get('/api/alert-rules', {
    config: { role: 'admin' },
    schema: { tags: ['alerts'], summary: 'The alert rules', response: { 200: Type.Array(AlertRule), ...errorResponses } },
  }, async () => alerts.listRules());

  app.get('/api/alert-rules/:id', {
    config: { role: 'admin' },
    schema: { tags: ['alerts'], summary: 'One alert rule', params: IdParams, response: { 200: AlertRule, ...errorResponses } },
  }, async (request) => alerts.getRule(request.params.id));

  app.post('/api/alert-rules', {
    config: { role: 'admin' },
    schema: { tags: ['alerts'], summary: 'Add an alert rule; params are checked against its kind', body: AlertRuleInput, response: { 200: AlertRule, ...errorResponses } },
  }, async (request) => {
    const rule = await alerts.createRule(request.body);
    await auth.audit(principalOf(request).actor, 'alert-rule.create', rule.id, { kind: rule.kind, params: rule.params, enabled: rule.enabled });
    return rule;
  });

  app.patch('/api/alert-rules/:id', {
    config: { role: 'admin' },
    schema: { tags: ['alerts'], summary: 'Change a rule\'s params or switch it on or off (its conditions start afresh)', params: IdParams, body: AlertRulePatch, response: { 200: AlertRule, ...errorResponses } },
  }, async (request) => {
    const rule = await alerts.updateRule(request.params.id, request.body);
    await auth.audit(principalOf(request).actor, 'alert-rule.update', rule.id, request.body);
    return rule;
  });

  app.delete('/api/alert-rules/:id', {
    config: { role: 'admin' },
    schema: { tags: ['alerts'], summary: 'Delete an alert rule (the alerts it raised are kept)', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    await alerts.deleteRule(request.params.id);
    await auth.audit(principalOf(request).actor, 'alert-rule.delete', request.params.id, {});
    return { ok: true as const };
  });
};
