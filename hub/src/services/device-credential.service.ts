/**
 * Per-device MQTT credentials. A credential names the sensors it may publish for ("*" for a
 * gateway such as the firmware bridge); its password is generated here, shown once, and stored
 * only as a scrypt hash.
 */
import { randomBytes } from 'node:crypto';
import { TouchlineError } from '@touchline/core/metrics';
import type { SensorRepository } from '../repositories/sensor.repository.ts';
import type { AuthService, Principal } from '../auth/auth.service.ts';
import { hashSecret, newId } from './secrets.ts';

export class DeviceCredentialService {
  private readonly repo: SensorRepository;
  private readonly auth: AuthService;

  constructor(repo: SensorRepository, auth: AuthService) {
    this.repo = repo;
    this.auth = auth;
  }

  async list() {
    return (await this.repo.listCredentials()).map((c) => ({
      id: c.id,
      username: c.username,
      label: c.label,
      sensorIds: JSON.parse(c.sensor_ids) as string[],
      createdAt: c.created_at,
      revokedAt: c.revoked_at,
    }));
  }

  async create(by: Principal, sensorIds: string[], label?: string) {
    const id = newId();
    const username = `device-${id}`;
    const password = randomBytes(18).toString('base64url');
    const createdAt = Date.now();
    await this.repo.insertCredential({ id, username, secret_hash: await hashSecret(password), sensor_ids: JSON.stringify(sensorIds), label: label ?? null, created_at: createdAt });
    await this.auth.audit(by.actor, 'device-credential.create', id, { sensorIds, label });
    return { id, username, password, label: label ?? null, sensorIds, createdAt, revokedAt: null };
  }

  async revoke(by: Principal, id: string): Promise<void> {
    if ((await this.repo.revokeCredential(id, Date.now())) === 0) throw new TouchlineError('TL_ERR_NOT_FOUND', `No active credential "${id}"`);
    await this.auth.audit(by.actor, 'device-credential.revoke', id, {});
  }
}
