/**
 * How athletes move. Each drill is a mover that proposes a desired velocity; the body follows it as
 * a first-order lag whose acceleration is capped, so speed is smooth and accelerations stay within
 * what players produce on grass.
 */
import { PITCH_LENGTH_M, PITCH_WIDTH_M, type PitchPoint } from './pitch.ts';
import type { Random } from './random.ts';
import type { PhaseKind } from './session-script.ts';

/**
 * Hard cap on acceleration and deceleration (m/s²). Football GNSS studies count efforts above
 * 3 m/s² as high-intensity and rarely see sustained values above 4 (STATSports thresholds,
 * reference sports-science §2.15).
 */
export const MAX_ACCELERATION = 4;

export interface Kinematics {
  x: number;
  y: number;
  vx: number;
  vy: number;
  /** Acceleration over the last step (m/s²). */
  ax: number;
  ay: number;
}

export interface DesiredVelocity {
  vx: number;
  vy: number;
  /** Time constant (s) with which the body closes the gap to the desired velocity. */
  responseS: number;
}

export interface Mover {
  /** The velocity this athlete wants `phaseS` seconds into the drill. */
  desired(body: Kinematics, phaseS: number): DesiredVelocity;
}

export interface MoverContext {
  kind: PhaseKind;
  phaseDurationS: number;
  /** Athlete's place in the squad and the squad size, for grouping and lanes. */
  index: number;
  count: number;
  topSpeed: number;
  rng: Random;
}

const STAND: DesiredVelocity = Object.freeze({ vx: 0, vy: 0, responseS: 0.5 });

export function speedOf(body: Kinematics): number {
  return Math.hypot(body.vx, body.vy);
}

/** Advances `body` by `dtS` toward `want`, with speed capped at `topSpeed`. */
export function stepKinematics(body: Kinematics, want: DesiredVelocity, topSpeed: number, dtS: number): void {
  let { vx, vy } = want;
  const wantSpeed = Math.hypot(vx, vy);
  if (wantSpeed > topSpeed) {
    vx *= topSpeed / wantSpeed;
    vy *= topSpeed / wantSpeed;
  }
  // Exact first-order response over the step, then the acceleration cap on the resulting change.
  const gain = 1 - Math.exp(-dtS / want.responseS);
  let dvx = (vx - body.vx) * gain;
  let dvy = (vy - body.vy) * gain;
  const dv = Math.hypot(dvx, dvy);
  const maxDv = MAX_ACCELERATION * dtS;
  if (dv > maxDv) {
    dvx *= maxDv / dv;
    dvy *= maxDv / dv;
  }
  body.x += (body.vx + dvx / 2) * dtS;
  body.y += (body.vy + dvy / 2) * dtS;
  body.vx += dvx;
  body.vy += dvy;
  body.ax = dvx / dtS;
  body.ay = dvy / dtS;
}

/** Heads for `target` at `cruise`, easing off to arrive at `brakingMs2` deceleration. */
function toward(body: Kinematics, target: PitchPoint, cruise: number, brakingMs2: number, responseS: number): DesiredVelocity {
  const dx = target.x - body.x;
  const dy = target.y - body.y;
  const distance = Math.hypot(dx, dy);
  if (distance < 0.05) return STAND;
  const speed = Math.min(cruise, Math.sqrt(2 * brakingMs2 * Math.max(0, distance - 0.3)));
  return { vx: (dx / distance) * speed, vy: (dy / distance) * speed, responseS };
}

function distanceTo(body: Kinematics, target: PitchPoint): number {
  return Math.hypot(target.x - body.x, target.y - body.y);
}

interface Area {
  cx: number;
  cy: number;
  halfX: number;
  halfY: number;
}

interface FreePlayStyle {
  cruise: readonly [number, number];
  pauseChance: number;
  pauseS: readonly [number, number];
  /** Mean bursts per second (a Poisson process); 0 for none. */
  burstRate: number;
  burstSpeed: readonly [number, number];
  burstS: readonly [number, number];
}

/**
 * A random walk between points of an area with pauses, and Poisson-timed bursts to a point further
 * away: the movement of rondos, small-sided games and milling about.
 */
function freePlay(area: Area, style: FreePlayStyle, topSpeed: number, rng: Random): Mover {
  let mode: 'move' | 'pause' | 'burst' = 'move';
  let target: PitchPoint = { x: area.cx, y: area.cy };
  let cruise = rng.uniform(...style.cruise);
  let until = 0;
  let nextBurstAt = style.burstRate > 0 ? -Math.log(1 - rng.next()) / style.burstRate : Infinity;

  const pointInArea = (): PitchPoint => ({
    x: area.cx + rng.uniform(-area.halfX, area.halfX),
    y: area.cy + rng.uniform(-area.halfY, area.halfY),
  });
  const newLeg = (): void => {
    mode = 'move';
    target = pointInArea();
    cruise = rng.uniform(...style.cruise);
  };

  return {
    desired(body, phaseS) {
      if (phaseS >= nextBurstAt) {
        nextBurstAt = phaseS - Math.log(1 - rng.next()) / style.burstRate;
        mode = 'burst';
        target = pointInArea();
        for (let attempt = 0; attempt < 4 && distanceTo(body, target) < Math.min(area.halfX, area.halfY); attempt++) target = pointInArea();
        cruise = Math.min(topSpeed, rng.uniform(...style.burstSpeed));
        until = phaseS + rng.uniform(...style.burstS);
      }
      if (mode === 'pause') {
        if (phaseS < until) return STAND;
        newLeg();
      }
      if (mode === 'burst' && phaseS >= until) newLeg();
      if (distanceTo(body, target) < 0.7) {
        if (rng.chance(style.pauseChance)) {
          mode = 'pause';
          until = phaseS + rng.uniform(...style.pauseS);
          return STAND;
        }
        newLeg();
      }
      return mode === 'burst' ? toward(body, target, cruise, MAX_ACCELERATION, 0.7) : toward(body, target, cruise, 2.5, 0.6);
    },
  };
}

/** Laps of a rectangle inside the pitch, anticlockwise, at a speed that moves from `from` to `to`. */
function laps(speedFrom: number, speedTo: number, durationS: number, body0: Kinematics): Mover {
  const corners: PitchPoint[] = [
    { x: 12, y: 8 },
    { x: PITCH_LENGTH_M - 12, y: 8 },
    { x: PITCH_LENGTH_M - 12, y: PITCH_WIDTH_M - 8 },
    { x: 12, y: PITCH_WIDTH_M - 8 },
  ];
  let next = 0;
  corners.forEach((corner, i) => {
    if (distanceTo(body0, corner) < distanceTo(body0, corners[next]!)) next = i;
  });
  return {
    desired(body, phaseS) {
      if (distanceTo(body, corners[next]!) < 4) next = (next + 1) % corners.length;
      const progress = Math.min(1, phaseS / durationS);
      const speed = speedFrom + (speedTo - speedFrom) * progress;
      const corner = corners[next]!;
      const distance = distanceTo(body, corner);
      return { vx: ((corner.x - body.x) / distance) * speed, vy: ((corner.y - body.y) / distance) * speed, responseS: 0.8 };
    },
  };
}

const SPRINT_LANES = 8;
const SPRINT_WAVES = 3;
const SPRINT_START_X = 18;
const SPRINT_REP_EVERY_S = 60;

/**
 * Repeated 30–40 m sprints from a start line, one lane each, in waves 20 s apart: sprint, brake,
 * walk back, wait for the next rep.
 */
function sprintDrill(index: number, topSpeed: number, rng: Random): Mover {
  const laneY = 14 + (index % SPRINT_LANES) * 5.5;
  const start: PitchPoint = { x: SPRINT_START_X, y: laneY };
  const wave = Math.floor(index / SPRINT_LANES) % SPRINT_WAVES;
  let mode: 'to-start' | 'wait' | 'sprint' | 'brake' | 'walk-back' = 'to-start';
  let nextRepAt = 40 + wave * (SPRINT_REP_EVERY_S / SPRINT_WAVES);
  let endX = 0;

  return {
    desired(body, phaseS) {
      switch (mode) {
        case 'to-start':
        case 'walk-back':
          while (nextRepAt <= phaseS) nextRepAt += SPRINT_REP_EVERY_S;
          if (distanceTo(body, start) < 0.5) mode = 'wait';
          return toward(body, start, mode === 'to-start' ? 2.5 : 1.5, 2, 0.6);
        case 'wait':
          if (phaseS < nextRepAt) return STAND;
          mode = 'sprint';
          endX = body.x + rng.uniform(30, 40);
          return this.desired(body, phaseS);
        case 'sprint':
          if (body.x >= endX) {
            mode = 'brake';
            return this.desired(body, phaseS);
          }
          // A time constant of ~1 s is the exponential sprint profile of Furusawa, Hill & Parkinson
          // 1927 (Proc R Soc B 102:29–42); the cap trims its unrealistic first-step acceleration.
          return { vx: topSpeed, vy: (laneY - body.y) * 0.5, responseS: 1 };
        case 'brake':
          if (speedOf(body) < 0.3) mode = 'walk-back';
          return { vx: 0, vy: 0, responseS: 0.3 };
      }
    },
  };
}

/** Where a squad member goes and how for the drill `context.kind`. */
export function createMover(context: MoverContext, body: Kinematics): Mover {
  const { kind, index, count, topSpeed, rng, phaseDurationS } = context;
  switch (kind) {
    case 'warm-up':
      return laps(rng.uniform(2, 2.4), rng.uniform(3.2, 3.7), phaseDurationS, body);
    case 'cool-down':
      return laps(rng.uniform(2, 2.4), rng.uniform(1.1, 1.4), phaseDurationS, body);
    case 'rondo': {
      // Groups of six in 12 × 12 m boxes on a 4 × 2 grid.
      const group = Math.floor(index / 6) % 8;
      const area = { cx: 20 + (group % 4) * 22, cy: group < 4 ? 20 : 48, halfX: 6, halfY: 6 };
      return freePlay(area, { cruise: [1, 2.6], pauseChance: 0.25, pauseS: [0.5, 1.5], burstRate: 1 / 8, burstSpeed: [3.5, 5.5], burstS: [1, 2] }, topSpeed, rng);
    }
    case 'small-sided-game': {
      // Two games side by side, each on half the pitch.
      const left = index < Math.ceil(count / 2);
      const area = { cx: left ? 27 : PITCH_LENGTH_M - 27, cy: PITCH_WIDTH_M / 2, halfX: 22, halfY: 28 };
      return freePlay(area, { cruise: [1.2, 3.5], pauseChance: 0.15, pauseS: [0.5, 2], burstRate: 1 / 10, burstSpeed: [5, 7.5], burstS: [1.5, 3] }, topSpeed, rng);
    }
    case 'sprint-drill':
      return sprintDrill(index, topSpeed, rng);
    case 'rest':
      return restMover(rng, topSpeed);
  }
}

/** Drinks on the south touchline: a few steps now and then, mostly standing. */
export function restMover(rng: Random, topSpeed: number): Mover {
  const area = { cx: PITCH_LENGTH_M / 2 + rng.uniform(-6, 6), cy: -1.5, halfX: 8, halfY: 1.5 };
  return freePlay(area, { cruise: [0.6, 1.2], pauseChance: 0.85, pauseS: [5, 20], burstRate: 0, burstSpeed: [0, 0], burstS: [0, 0] }, topSpeed, rng);
}

/** A member of staff walking the touchline, whatever the squad is doing. */
export function staffMover(rng: Random): Mover {
  const area = { cx: PITCH_LENGTH_M / 2, cy: -3, halfX: 20, halfY: 1 };
  return freePlay(area, { cruise: [0.8, 1.4], pauseChance: 0.6, pauseS: [3, 15], burstRate: 0, burstSpeed: [0, 0], burstS: [0, 0] }, 2, rng);
}
