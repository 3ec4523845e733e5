import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { MqttClient } from 'mqtt';
import { sessionRpeLoad } from '@touchline/core';
import { SQUAD_MEMBER, startTestHub, until, type TestHub } from './test-hub.ts';

interface Drill {
  id: string;
  name: string;
  startedAt: number;
  endedAt: number | null;
}

interface Session {
  id: string;
  name: string;
  kind: string;
  startedAt: number;
  endedAt: number | null;
  notes: string;
  drills: Drill[];
  currentDrill: Drill | null;
  markers: { id: string; t: number; label: string }[];
  rpe: { athleteId: string; rpe: number; durationMin: number; load: number }[];
}

interface ErrorBody {
  code: string;
  message: string;
}

interface Frame {
  type: string;
  session?: Session | null;
}

interface LiveAthlete {
  id: string;
  hr: { bpm: number | null; secondsInZone: number[] };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('sessions: lifecycle, live state, roles and RPE', () => {
  let t: TestHub;
  let device: MqttClient;
  let athleteId: string;
  let staffToken: string;
  let displayToken: string;
  let session: Session;
  const frames: Frame[] = [];
  let screen: WebSocket;

  beforeAll(async () => {
    t = await startTestHub();
    athleteId = (await t.api<{ id: string }>('POST', '/api/athletes', SQUAD_MEMBER)).body.id;
    const credential = await t.api<{ username: string; password: string }>('POST', '/api/device-credentials', { sensorIds: ['strap-s'] });
    await t.api('PUT', '/api/sensors/strap-s/pairing', { athleteId });
    device = await t.connectDevice({ username: credential.body.username, password: credential.body.password });

    await t.api('POST', '/api/users', { name: 'assistant', role: 'staff', password: 'assistant-secret' });
    staffToken = (await t.api<{ token: string }>('POST', '/api/auth/login', { name: 'assistant', password: 'assistant-secret' }, null)).body.token;
    displayToken = (await t.api<{ token: string }>('POST', '/api/display-tokens', { label: 'wall' })).body.token;

    screen = new WebSocket(`${t.httpUrl.replace('http', 'ws')}/api/live/ws?token=${displayToken}`);
    screen.on('message', (data) => frames.push(JSON.parse(data.toString()) as Frame));
    await until(() => frames.some((f) => f.type === 'snapshot'), 5000, 'the first snapshot');
  });

  afterAll(async () => {
    screen.close();
    await t.stop();
  });

  it('refuses changes from signed-out clients and display screens; a screen may read the current session', async () => {
    const signedOut = await t.api<ErrorBody>('POST', '/api/sessions', { name: 'x', kind: 'training' }, null);
    expect(signedOut.status).toBe(401);
    expect(signedOut.body.code).toBe('TL_ERR_AUTH_REQUIRED');

    const display = await t.api<ErrorBody>('POST', '/api/sessions', { name: 'x', kind: 'training' }, displayToken);
    expect(display.status).toBe(403);
    expect(display.body.code).toBe('TL_ERR_FORBIDDEN');

    for (const path of ['/api/sessions', '/api/sessions/any/report', '/api/sessions/any/export.csv', `/api/sessions/any/athletes/${athleteId}/export.fit`]) {
      expect((await t.api('GET', path, undefined, displayToken)).status).toBe(403);
    }
    expect((await t.api('GET', '/api/sessions/current', undefined, null)).status).toBe(401);
    const current = await t.api<{ session: Session | null }>('GET', '/api/sessions/current', undefined, displayToken);
    expect(current.status).toBe(200);
    expect(current.body.session).toBeNull();
  });

  it('starts one session at a time, restarts the live totals and shows the session on every screen', async () => {
    // Two readings a second apart before the session: one second of live time in zone.
    const t0 = Date.now() - 60_000;
    await device.publishAsync('touchline/v1/sensors/strap-s/hr', JSON.stringify({ t: t0, bpm: 120 }), { qos: 1 });
    await device.publishAsync('touchline/v1/sensors/strap-s/hr', JSON.stringify({ t: t0 + 1000, bpm: 121 }), { qos: 1 });
    const before = await t.api<{ athletes: LiveAthlete[] }>('GET', '/api/live');
    expect(sum(before.body.athletes.find((a) => a.id === athleteId)!.hr.secondsInZone)).toBe(1);

    const started = await t.api<Session>('POST', '/api/sessions', { name: 'Tuesday training', kind: 'training' }, staffToken);
    expect(started.status).toBe(200);
    session = started.body;
    expect(session).toMatchObject({ name: 'Tuesday training', kind: 'training', endedAt: null, notes: '', drills: [], currentDrill: null, markers: [], rpe: [] });
    expect(Math.abs(session.startedAt - Date.now())).toBeLessThan(60_000);

    const after = await t.api<{ athletes: LiveAthlete[]; session: Session | null }>('GET', '/api/live', undefined, displayToken);
    const ada = after.body.athletes.find((a) => a.id === athleteId)!;
    expect(ada.hr.bpm).toBeNull();
    expect(sum(ada.hr.secondsInZone)).toBe(0);
    expect(after.body.session?.id).toBe(session.id);

    const second = await t.api<ErrorBody>('POST', '/api/sessions', { name: 'Another', kind: 'match' }, staffToken);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('TL_ERR_CONFLICT');
    expect(second.body.message).toContain('Tuesday training');

    const current = await t.api<{ session: Session | null }>('GET', '/api/sessions/current', undefined, displayToken);
    expect(current.body.session?.id).toBe(session.id);
    await until(() => frames.some((f) => f.type === 'session' && f.session?.id === session.id), 5000, 'the session frame');

    // A screen that connects now gets the running session in its snapshot.
    const late = new WebSocket(`${t.httpUrl.replace('http', 'ws')}/api/live/ws?token=${displayToken}`);
    const snapshot = await new Promise<Frame>((resolve) => late.once('message', (data) => resolve(JSON.parse(data.toString()) as Frame)));
    late.close();
    expect(snapshot.type).toBe('snapshot');
    expect(snapshot.session?.id).toBe(session.id);
  });

  it('runs drills (each start ends the previous one), markers and notes', async () => {
    const path = `/api/sessions/${session.id}`;
    const warmUp = await t.api<Session>('POST', `${path}/drills`, { name: 'Warm-up' }, staffToken);
    expect(warmUp.body.currentDrill?.name).toBe('Warm-up');
    const live = await t.api<{ session: Session }>('GET', '/api/live', undefined, displayToken);
    expect(live.body.session.currentDrill?.name).toBe('Warm-up');

    const rondo = await t.api<Session>('POST', `${path}/drills`, { name: 'Rondo' }, staffToken);
    const [first, second] = rondo.body.drills;
    expect(first!.name).toBe('Warm-up');
    expect(first!.endedAt).toBe(second!.startedAt);
    expect(rondo.body.currentDrill?.id).toBe(second!.id);
    await until(() => frames.some((f) => f.type === 'session' && f.session?.currentDrill?.name === 'Rondo'), 5000, 'the drill frame');

    const ended = await t.api<Session>('POST', `${path}/drills/${second!.id}/end`, undefined, staffToken);
    expect(ended.status).toBe(200);
    expect(ended.body.currentDrill).toBeNull();
    expect(ended.body.drills[1]!.endedAt).not.toBeNull();
    expect((await t.api<ErrorBody>('POST', `${path}/drills/${second!.id}/end`, {}, staffToken)).body.code).toBe('TL_ERR_CONFLICT');
    expect((await t.api<ErrorBody>('POST', `${path}/drills/nope/end`, {}, staffToken)).status).toBe(404);

    const future = await t.api<ErrorBody>('POST', `${path}/drills`, { name: 'Later', at: Date.now() + 3600_000 }, staffToken);
    expect(future.status).toBe(400);
    expect(future.body.code).toBe('TL_ERR_VALIDATION');
    const overlapping = await t.api<ErrorBody>('POST', `${path}/drills`, { name: 'Back in time', at: first!.startedAt }, staffToken);
    expect(overlapping.status).toBe(400);

    const marked = await t.api<Session>('POST', `${path}/markers`, { label: 'Goal' }, staffToken);
    expect(marked.body.markers).toHaveLength(1);
    expect(marked.body.markers[0]!.label).toBe('Goal');
    expect(marked.body.markers[0]!.t).toBeGreaterThanOrEqual(session.startedAt);
    const early = await t.api<ErrorBody>('POST', `${path}/markers`, { label: 'Too early', t: session.startedAt - 1 }, staffToken);
    expect(early.status).toBe(400);

    const noted = await t.api<Session>('PATCH', path, { notes: 'Wet pitch' }, staffToken);
    expect(noted.body.notes).toBe('Wet pitch');
    expect(noted.body.name).toBe('Tuesday training');
    expect((await t.api<ErrorBody>('PATCH', path, {}, staffToken)).status).toBe(400);
    expect((await t.api<ErrorBody>('PATCH', path, { notes: 'x' }, displayToken)).status).toBe(403);
  });

  it('stops the session, then takes session RPE with CR-10 validation and Foster load', async () => {
    const path = `/api/sessions/${session.id}`;
    const early = await t.api<ErrorBody>('PUT', `${path}/rpe/${athleteId}`, { rpe: 7 }, staffToken);
    expect(early.status).toBe(409);

    await t.api('POST', `${path}/drills`, { name: 'Cool-down' }, staffToken);
    const stopped = await t.api<Session>('POST', `${path}/stop`, undefined, staffToken);
    expect(stopped.status).toBe(200);
    session = stopped.body;
    expect(session.endedAt).not.toBeNull();
    expect(session.currentDrill).toBeNull();
    expect(session.drills.at(-1)!.endedAt).toBe(session.endedAt);
    expect((await t.api<{ session: Session | null }>('GET', '/api/sessions/current', undefined, displayToken)).body.session).toBeNull();
    expect((await t.api<{ session: Session | null }>('GET', '/api/live', undefined, displayToken)).body.session).toBeNull();
    await until(() => frames.some((f) => f.type === 'session' && f.session?.id === session.id && f.session.endedAt !== null), 5000, 'the stop frame');

    expect((await t.api<ErrorBody>('POST', `${path}/stop`, {}, staffToken)).body.code).toBe('TL_ERR_CONFLICT');
    expect((await t.api<ErrorBody>('POST', `${path}/drills`, { name: 'Extra' }, staffToken)).body.code).toBe('TL_ERR_CONFLICT');

    for (const bad of [{ rpe: 11 }, { rpe: -1 }, { rpe: 'hard' }, {}, { rpe: 5, durationMin: -3 }]) {
      const refused = await t.api<ErrorBody>('PUT', `${path}/rpe/${athleteId}`, bad, staffToken);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.body.code).toBe('TL_ERR_VALIDATION');
    }
    expect((await t.api<ErrorBody>('PUT', `${path}/rpe/nobody`, { rpe: 5 }, staffToken)).status).toBe(404);
    expect((await t.api<ErrorBody>('PUT', `/api/sessions/nothing/rpe/${athleteId}`, { rpe: 5 }, staffToken)).status).toBe(404);
    expect((await t.api<ErrorBody>('PUT', `${path}/rpe/${athleteId}`, { rpe: 5 }, displayToken)).status).toBe(403);

    // The duration defaults to the session length; load = RPE × minutes.
    const entered = await t.api<{ rpe: number; durationMin: number; load: number }>('PUT', `${path}/rpe/${athleteId}`, { rpe: 7 }, staffToken);
    expect(entered.status).toBe(200);
    const minutes = (session.endedAt! - session.startedAt) / 60_000;
    expect(entered.body.durationMin).toBeCloseTo(minutes, 9);
    expect(entered.body.load).toBeCloseTo(7 * minutes, 9);
    expect(entered.body.load).toBeCloseTo(sessionRpeLoad(7, minutes), 12);

    // Entering again replaces the earlier entry.
    const corrected = await t.api<{ load: number }>('PUT', `${path}/rpe/${athleteId}`, { rpe: 6, durationMin: 45 }, staffToken);
    expect(corrected.body.load).toBe(270);
    const stored = await t.api<Session>('GET', path, undefined, staffToken);
    expect(stored.body.rpe).toEqual([expect.objectContaining({ athleteId, rpe: 6, durationMin: 45, load: 270 })]);
  });

  it('audits every change with its actor', async () => {
    const audit = await t.api<{ actor: string; action: string; target: string | null }[]>('GET', '/api/audit?limit=200');
    const mine = audit.body.filter((e) => e.target === session.id);
    const actions = mine.map((e) => e.action);
    for (const action of ['session.start', 'session.drill-start', 'session.drill-end', 'session.marker', 'session.update', 'session.stop', 'session.rpe']) {
      expect(actions, action).toContain(action);
    }
    expect(new Set(mine.map((e) => e.actor))).toEqual(new Set(['assistant']));
    expect(actions.filter((a) => a === 'session.drill-start')).toHaveLength(3);
    expect(actions.filter((a) => a === 'session.rpe')).toHaveLength(2);
  });

  it('documents every session route in the OpenAPI document, downloads with their media types', async () => {
    const doc = await t.api<{ paths: Record<string, Record<string, { tags: string[]; responses: Record<string, { content?: Record<string, unknown> }> }>> }>('GET', '/docs/json');
    expect(doc.status).toBe(200);
    const routes = Object.entries(doc.body.paths).filter(([path]) => path.startsWith('/api/sessions'));
    expect(routes.map(([path]) => path).sort()).toEqual(
      [
        '/api/sessions',
        '/api/sessions/current',
        '/api/sessions/{id}',
        '/api/sessions/{id}/stop',
        '/api/sessions/{id}/drills',
        '/api/sessions/{id}/drills/{drillId}/end',
        '/api/sessions/{id}/markers',
        '/api/sessions/{id}/rpe/{athleteId}',
        '/api/sessions/{id}/report',
        '/api/sessions/{id}/export.csv',
        '/api/sessions/{id}/athletes/{athleteId}/export.fit',
      ].sort(),
    );
    for (const [, methods] of routes) for (const operation of Object.values(methods)) expect(operation.tags).toEqual(['sessions']);
    expect(Object.keys(doc.body.paths['/api/sessions/{id}/export.csv']!.get!.responses['200']!.content!)).toEqual(['text/csv']);
    expect(Object.keys(doc.body.paths['/api/sessions/{id}/athletes/{athleteId}/export.fit']!.get!.responses['200']!.content!)).toEqual(['application/vnd.ant.fit']);
  });

  it('lists sessions newest first and refuses a back-dated start that would overlap the last one', async () => {
    const overlapping = await t.api<ErrorBody>('POST', '/api/sessions', { name: 'Back-dated', kind: 'training', at: session.endedAt! - 1000 }, staffToken);
    expect(overlapping.status).toBe(409);
    expect((await t.api<ErrorBody>('POST', '/api/sessions', { name: 'Friendly', kind: 'cup' }, staffToken)).status).toBe(400);

    const match = await t.api<Session>('POST', '/api/sessions', { name: 'Match day', kind: 'match' }, staffToken);
    expect(match.status).toBe(200);
    await t.api('POST', `/api/sessions/${match.body.id}/stop`, {}, staffToken);

    const list = await t.api<Session[]>('GET', '/api/sessions', undefined, staffToken);
    expect(list.body.map((s) => s.name)).toEqual(['Match day', 'Tuesday training']);
    expect(list.body[0]!.kind).toBe('match');
    expect((await t.api<Session[]>('GET', '/api/sessions?limit=1', undefined, staffToken)).body.map((s) => s.name)).toEqual(['Match day']);
    const older = await t.api<Session[]>('GET', `/api/sessions?before=${match.body.startedAt}`, undefined, staffToken);
    expect(older.body.map((s) => s.name)).toEqual(['Tuesday training']);
    expect((await t.api('GET', '/api/sessions/unknown', undefined, staffToken)).status).toBe(404);
  });

  it('keeps the running session, with its current drill, across a hub restart', async () => {
    const running = await t.api<Session>('POST', '/api/sessions', { name: 'Evening session', kind: 'training' }, staffToken);
    await t.api('POST', `/api/sessions/${running.body.id}/drills`, { name: 'Shape' }, staffToken);
    screen.close();
    const dataDir = t.dataDir;
    await t.stop({ keepData: true });
    t = await startTestHub({}, dataDir);

    const current = await t.api<{ session: Session | null }>('GET', '/api/sessions/current');
    expect(current.body.session?.id).toBe(running.body.id);
    expect(current.body.session?.currentDrill?.name).toBe('Shape');
    expect((await t.api<{ session: Session | null }>('GET', '/api/live')).body.session?.id).toBe(running.body.id);
    expect((await t.api<ErrorBody>('POST', '/api/sessions', { name: 'Second', kind: 'training' })).status).toBe(409);
  });
});
