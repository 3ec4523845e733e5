/**
 * The embedded MQTT broker (aedes, MQTT 3.1.1; aedes refuses MQTT 5 CONNECTs with return code 1,
 * "unacceptable protocol version"). It owns device authentication, topic permissions and
 * per-client flood control, and hands every sensor publish to the ingest service. A QoS 1 PUBACK
 * is delayed until the ingest service reports the readings durable.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { Aedes, type AedesOptions, type Client } from 'aedes';
import type { PublishPacket } from 'aedes';
import mqttPacket from 'mqtt-packet';
import { TouchlineError } from '@touchline/core/metrics';
import { SENSOR_TOPIC_PREFIX, parseTopic } from '../ingest/ingest-contract.ts';
import type { IngestService } from '../ingest/ingest.service.ts';
import type { SensorRepository } from '../repositories/sensor.repository.ts';
import { bridgeIdOfTopic } from '../services/bridge-status.service.ts';
import { verifySecret } from '../services/secrets.ts';
import { OrderedAcks } from './ordered-acks.ts';

// mqtt-packet (aedes's and mqtt.js's encoder) otherwise fills a table of 65 536 two-byte Buffers,
// one per packet id, the first time it writes one: about 7 MB of the hub's heap to save an
// allocation per PUBACK.
mqttPacket.writeToStream.cacheNumbers = false;

export const LIVE_TOPIC_PREFIX = 'touchline/v1/athletes/';
/** How many seconds of a client's message rate may arrive at once (see withinRate). */
const BURST_SECONDS = 5;

export interface BrokerOptions {
  ingest: IngestService;
  sensors: SensorRepository;
  /** Demo mode: anonymous clients may publish for any sensor. */
  allowAnonymous: boolean;
  maxMessagesPerSecondPerClient: number;
  /** Keeps firmware bridges' status messages (touchline/v1/bridges/{id}/status). */
  bridgeStatus?: { accept(bridgeId: string, payload: Buffer): boolean };
}

interface ClientGrant {
  /** Sensor ids this client may publish for; '*' for any. */
  sensors: Set<string> | '*';
  /** Token bucket for flood control. */
  tokens: number;
  refilledAt: number;
  acks: OrderedAcks;
}

export interface MqttBroker {
  aedes: Aedes;
  clientCount(): number;
  listen(host: string, port: number): Promise<number>;
  close(): Promise<void>;
}

function authError(message: string, returnCode: number) {
  return Object.assign(new Error(message), { returnCode });
}

export async function createMqttBroker(options: BrokerOptions): Promise<MqttBroker> {
  const grants = new Map<Client, ClientGrant>();
  // scrypt costs ~50 ms of CPU on purpose; a squad of devices sharing or reusing a credential after
  // a hub restart would otherwise queue for seconds. A password already verified against the same
  // stored hash is accepted from this cache (keyed by the hash, so a new secret invalidates it).
  const verified = new Map<string, string>();
  const inFlight = new Map<string, Promise<boolean>>();
  const isVerified = async (password: string, secretHash: string): Promise<boolean> => {
    const digest = createHash('sha256').update(password).digest('base64url');
    if (verified.get(secretHash) === digest) return true;
    const key = `${secretHash}\u0000${digest}`;
    let check = inFlight.get(key);
    if (!check) {
      check = verifySecret(password, secretHash).finally(() => inFlight.delete(key));
      inFlight.set(key, check);
    }
    if (!(await check)) return false;
    if (verified.size >= 10_000) verified.clear();
    verified.set(secretHash, digest);
    return true;
  };
  const rejected = new WeakSet<PublishPacket>();
  const rate = options.maxMessagesPerSecondPerClient;

  const grant = (client: Client, sensors: ClientGrant['sensors']) =>
    grants.set(client, { sensors, tokens: rate, refilledAt: Date.now(), acks: new OrderedAcks() });

  /**
   * Refills one client's bucket; false when the message exceeds the client's rate. The bucket
   * holds BURST_SECONDS of the rate: when the hub itself falls behind for a moment, a device's
   * messages queue in its socket and arrive here together, and one second's worth of room would
   * reject a well-behaved device's backlog as a flood.
   */
  const withinRate = (g: ClientGrant): boolean => {
    const now = Date.now();
    g.tokens = Math.min(rate * BURST_SECONDS, g.tokens + ((now - g.refilledAt) / 1000) * rate);
    g.refilledAt = now;
    if (g.tokens < 1) return false;
    g.tokens -= 1;
    return true;
  };

  const aedesOptions: AedesOptions = {
    // A slow subscriber must not stall delivery to the others for long.
    drainTimeout: 5_000,
    authenticate(client, username, password, done) {
      if (!username) {
        if (options.allowAnonymous) {
          grant(client, '*');
          return done(null, true);
        }
        return done(authError('anonymous clients are refused; create a device credential in the hub', 4) as never, false);
      }
      options.sensors
        .findCredential(username)
        .then(async (credential) => {
          if (!credential || !password || !(await isVerified(password.toString('utf8'), credential.secret_hash))) {
            return done(authError('bad username or password', 4) as never, false);
          }
          const ids = JSON.parse(credential.sensor_ids) as string[];
          grant(client, ids.includes('*') ? '*' : new Set(ids));
          done(null, true);
        })
        .catch(() => done(authError('credential lookup failed', 3) as never, false));
    },
    authorizePublish(client, packet, callback) {
      if (!client) return callback(null);
      const topic = packet.topic;
      // Only the hub publishes these; refusing disconnects the client.
      if (topic.startsWith(LIVE_TOPIC_PREFIX) || topic.startsWith('$SYS')) return callback(new Error(`${topic} is published by the hub only`));
      const g = grants.get(client);
      // Letting aedes go on is what sends the PUBACK of a QoS 1 publish: in arrival order.
      const answer = g ? g.acks.arrive(() => callback(null)) : () => callback(null);
      const bridgeId = bridgeIdOfTopic(topic);
      if (bridgeId !== undefined) {
        // Any authenticated client (a bridge's will included) may report a bridge's status; an
        // invalid one is counted, neither forwarded nor retained.
        const accepted = (!g || withinRate(g)) && options.bridgeStatus?.accept(bridgeId, packet.payload as Buffer) === true;
        if (!accepted) {
          rejected.add(packet);
          packet.retain = false;
        }
        return answer();
      }
      if (!g || !topic.startsWith(SENSOR_TOPIC_PREFIX)) {
        // Outside the sensor tree: counted by ingest under its own reason, not forwarded.
        rejected.add(packet);
        options.ingest.handle(topic, packet.payload as Buffer);
        return answer();
      }
      let sensorId: string;
      try {
        sensorId = parseTopic(topic).sensorId;
      } catch {
        // A malformed sensor topic: let ingest count it under its own reason.
        rejected.add(packet);
        options.ingest.handle(topic, packet.payload as Buffer);
        return answer();
      }
      if (!withinRate(g)) {
        rejected.add(packet);
        options.ingest.reject(sensorId, 'TL_ERR_INGEST_RATE', `client ${client.id.slice(0, 40)} exceeded ${rate} messages/s`);
        return answer();
      }
      if (g.sensors !== '*' && !g.sensors.has(sensorId)) {
        rejected.add(packet);
        options.ingest.reject(sensorId, 'TL_ERR_INGEST_UNAUTHORIZED', `credential of client ${client.id.slice(0, 40)} does not cover sensor ${sensorId}`);
        return answer();
      }
      const outcome = options.ingest.handle(topic, packet.payload as Buffer, answer);
      if (!outcome.accepted) rejected.add(packet);
    },
    authorizeSubscribe(client, subscription, callback) {
      if (!grants.has(client)) return callback(new Error('not authenticated'), null);
      if (!subscription.topic.startsWith('touchline/v1/') && subscription.topic !== '#') return callback(new Error('only touchline/v1/ topics'), null);
      callback(null, subscription);
    },
    authorizeForward(_client, packet) {
      return rejected.has(packet) ? null : packet;
    },
  };

  const aedes = await Aedes.createBroker(aedesOptions);
  aedes.on('clientDisconnect', (client) => grants.delete(client));
  // Client errors (bad packets, protocol violations) end that connection only.
  aedes.on('clientError', () => {});
  aedes.on('connectionError', () => {});

  let server: Server | undefined;

  return {
    aedes,
    clientCount: () => aedes.connectedClients,
    listen(host, port) {
      return new Promise((resolve, reject) => {
        // Nagle's algorithm would hold a PUBACK back while the device has not yet acknowledged the
        // last one at TCP level, up to a delayed-ACK timeout (40 ms on Linux); no device gains
        // from that wait. Mosquitto's equivalent is set_tcp_nodelay.
        server = createServer({ noDelay: true }, aedes.handle);
        server.once('error', (err: NodeJS.ErrnoException) => {
          reject(
            err.code === 'EADDRINUSE'
              ? new TouchlineError('TL_ERR_PORT_IN_USE', `MQTT port ${port} is already in use by another program (set mqtt.port or TOUCHLINE_MQTT_PORT)`, { port })
              : err,
          );
        });
        server.listen(port, host, () => {
          const address = server!.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      if (server?.listening) await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
  };
}
