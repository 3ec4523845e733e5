import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.ts';

function yamlFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'touchline-config-')), 'hub.yaml');
  writeFileSync(file, text);
  return file;
}

function codeAndMessage(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected an error');
}

describe('hub configuration', () => {
  it('loads the shipped config/hub.yaml with every default in place', () => {
    const config = loadConfig({ file: 'config/hub.yaml', env: {} });
    expect(config.mqtt.port).toBe(1883);
    expect(config.http.port).toBe(8080);
    expect(config.demo.enabled).toBe(false);
    expect(config.store.maxDiskMegabytes).toBe(8192);
  });

  it('lets environment variables override single keys, typed by the schema', () => {
    const config = loadConfig({ file: 'config/hub.yaml', env: { TOUCHLINE_HTTP_PORT: '9090', TOUCHLINE_DEMO_ENABLED: 'true', TOUCHLINE_STORE_MAX_DISK_MEGABYTES: '1024' } });
    expect(config.http.port).toBe(9090);
    expect(config.demo.enabled).toBe(true);
    expect(config.store.maxDiskMegabytes).toBe(1024);
  });

  it('names the offending key of a bad value, an unknown key, and a bad environment variable', () => {
    const badValue = codeAndMessage(() => loadConfig({ file: yamlFile('mqtt:\n  port: 70000\n'), env: {} }));
    expect(badValue.code).toBe('TL_ERR_CONFIG_INVALID');
    expect(badValue.message).toContain('mqtt.port');

    const unknown = codeAndMessage(() => loadConfig({ file: yamlFile('live:\n  maxUpdatesPerSecond: 4\n'), env: {} }));
    expect(unknown.message).toContain('live.maxUpdatesPerSecond');
    expect(unknown.message).toContain('not a known setting');

    const env = codeAndMessage(() => loadConfig({ file: 'config/hub.yaml', env: { TOUCHLINE_HTTP_PORT: 'eighty' } }));
    expect(env.message).toContain('http.port');

    const order = codeAndMessage(() => loadConfig({ file: yamlFile('engine:\n  staleAfterSeconds: 10\n  lostAfterSeconds: 5\n'), env: {} }));
    expect(order.message).toContain('engine.lostAfterSeconds');
  });

  it('reports a file that is not YAML and a named file that is missing', () => {
    expect(codeAndMessage(() => loadConfig({ file: yamlFile('hub: [unclosed\n'), env: {} })).code).toBe('TL_ERR_CONFIG_INVALID');
    expect(codeAndMessage(() => loadConfig({ file: '/nonexistent/hub.yaml', env: {} })).message).toContain('/nonexistent/hub.yaml');
  });
});
