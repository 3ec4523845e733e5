import { describe, expect, it } from 'vitest';
import { loadConfig, resolveConfig } from '../src/config/load-config.ts';
import { uplinkSettings } from '../src/uplink/uplink.service.ts';
import { backoffDelay } from '../src/uplink/backoff.ts';

describe('uplink settings', () => {
  it('is off by default in the shipped config, with documented defaults', () => {
    const config = loadConfig({ file: 'config/hub.yaml', env: {} });
    expect(config.uplink).toEqual({
      enabled: false,
      centralUrl: '',
      enrolmentCode: '',
      credentialFile: '',
      batchRows: 20_000,
      intervalSeconds: 5,
      backoffBaseMs: 1000,
      backoffCapMs: 300_000,
      requestTimeoutSeconds: 60,
    });
    expect(uplinkSettings(config)).toBeNull();
  });

  it('takes its keys from the environment and keeps the credential beside the data by default', () => {
    const config = loadConfig({
      file: 'config/hub.yaml',
      env: { TOUCHLINE_UPLINK_ENABLED: 'true', TOUCHLINE_UPLINK_CENTRAL_URL: 'https://central.example.org', TOUCHLINE_UPLINK_ENROLMENT_CODE: ' ABCD-EFGH ', TOUCHLINE_HUB_DATA_DIR: '/var/lib/touchline' },
    });
    const settings = uplinkSettings(config)!;
    expect(settings.centralUrl).toBe('https://central.example.org');
    expect(settings.enrolmentCode).toBe('ABCD-EFGH');
    expect(settings.credentialFile).toBe('/var/lib/touchline/uplink-credential.json');
    expect(settings.intervalMs).toBe(5000);
    expect(settings.requestTimeoutMs).toBe(60_000);
  });

  it('names the offending key of an unusable uplink configuration', () => {
    const failure = (input: unknown) => {
      try {
        uplinkSettings(resolveConfig(input));
      } catch (err) {
        return err as { code: string; message: string };
      }
      throw new Error('expected an error');
    };
    expect(failure({ uplink: { enabled: true } }).message).toContain('uplink.centralUrl');
    expect(failure({ uplink: { centralUrl: 'ftp://central' } }).message).toContain('uplink.centralUrl');
    expect(failure({ uplink: { batchRows: 10 } }).message).toContain('uplink.batchRows');
    const cap = failure({ uplink: { enabled: true, centralUrl: 'http://c', backoffBaseMs: 5000, backoffCapMs: 1000 } });
    expect(cap.code).toBe('TL_ERR_CONFIG_INVALID');
    expect(cap.message).toContain('uplink.backoffCapMs');
  });
});

describe('retry backoff', () => {
  it('draws uniformly below base * 2^(attempt-1), capped (full jitter)', () => {
    const almostOne = () => 0.999_999;
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, 1000, 300_000, almostOne))).toEqual([999, 1999, 3999, 7999, 15_999]);
    expect(backoffDelay(30, 1000, 300_000, almostOne)).toBe(299_999);
    expect(backoffDelay(10_000, 1000, 300_000, almostOne)).toBe(299_999);
    expect(backoffDelay(7, 1000, 300_000, () => 0)).toBe(0);
    expect(backoffDelay(3, 1000, 300_000, () => 0.5)).toBe(2000);
  });
});
