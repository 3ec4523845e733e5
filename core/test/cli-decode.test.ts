import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/main.ts';

async function run(...argv: string[]) {
  return runCli(argv);
}

async function json(...argv: string[]): Promise<unknown> {
  const out = await run(...argv);
  expect(out.stderr).toBe('');
  expect(out.exitCode).toBe(0);
  return JSON.parse(out.stdout);
}

describe('touchline decode', () => {
  // protocols.md §1.3, SmartGattLib vector: HR 72, contact detected, RR [340, 748] ticks
  it('decodes a BLE heart-rate payload given as separate bytes or with colons', async () => {
    const expected = { bpm: 72, hrFormat: 'uint8', sensorContact: 'detected', rr: [332.03125, 730.46875], rrRaw: [340, 748] };
    expect(await json('decode', 'ble-hrm', '16', '48', '54', '01', 'EC', '02')).toEqual(expected);
    expect(await json('decode', 'ble-hrm', '16:48:54:01:ec:02')).toEqual(expected);
  });

  // protocols.md §1.4 and §1.5
  it('decodes battery level and running speed and cadence', async () => {
    expect(await json('decode', 'ble-battery', '4B')).toEqual({ percent: 75 });
    expect(await json('decode', 'ble-rsc', '01 9A 01 78 50 00')).toEqual({ speedMps: 1.6015625, cadencePerMin: 120, running: false, strideLengthM: 0.8 });
    expect(await json('decode', 'ble-cycling-power', '01 00 2C 01 64')).toMatchObject({ powerW: 300, pedalBalancePct: 50 });
  });

  it('prints CSV when asked', async () => {
    const out = await run('decode', 'ble-hrm', '0E 4B 80 00', '--format', 'csv');
    expect(out.stdout).toBe('bpm,hrFormat,sensorContact,rr,rrRaw,energyExpendedKj\n75,uint8,detected,[],[],128\n');
  });

  // protocols.md §2.2 capabilities (checksum 0xA4) then §2.7 two captured HR broadcasts, with USB padding
  it('decodes several ANT frames, with heart-rate pages and the RR between them', async () => {
    const rows = (await json(
      'decode',
      'ant',
      'A4 07 54 08 08 00 BA 36 00 DF A4 00 00',
      'a4 0e 4e 02 84 ff a5 e2 a5 e6 ca 3c 80 52 62 78 71 d6',
      'a4 0e 4e 02 04 ff a5 e6 a5 ea cb 3c 80 52 62 78 71 5f',
    )) as Record<string, unknown>[];
    expect(rows.map((r) => r.kind)).toEqual(['capabilities', 'channel-data', 'channel-data']);
    expect(rows[0]).toMatchObject({ index: 0, id: '0x54', name: 'capabilities', maxChannels: 8, advancedOptions3: 0xdf });
    expect(rows[1]).toMatchObject({ data: '84 FF A5 E2 A5 E6 CA 3C', extended: { channelId: { deviceNumber: 25170, deviceType: 120 } } });
    expect(rows[2]).toMatchObject({ hrm: { bpm: 60, beatCount: 203, rrRaw: [1024], rr: [1000] } }); // 60069 − 59045 ticks
  });

  it('reads plain broadcasts as heart-rate pages with --profile hrm', async () => {
    // ANTware capture of §2.7 (channel 0, page 4, HR 94) wrapped in a broadcast frame built here: XOR of the bytes = 0xF3 (python3)
    const rows = (await json('decode', 'ant', 'A4 09 4E 00 04 00 34 09 77 0A 0A 5E F3', '--profile', 'hrm')) as Record<string, unknown>[];
    expect(rows[0]).toMatchObject({ hrm: { bpm: 94, beatCount: 10, beatTime: 2679 } });
    const without = (await json('decode', 'ant', 'A4 09 4E 00 04 00 34 09 77 0A 0A 5E F3')) as Record<string, unknown>[];
    expect(without[0]).not.toHaveProperty('hrm');
  });

  // protocols.md §3: nmea-simple RMC then GGA of the same second; the RMC dates the GGA
  it('decodes NMEA sentences and dates GGA from an RMC or --date', async () => {
    const rows = (await json(
      'decode',
      'nmea',
      '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A',
      '$IIGGA,123519,4807.04,N,1131.00,E,1,8,0.9,545.9,M,46.9,M,,*52',
    )) as Record<string, unknown>[];
    expect(rows.map((r) => [r.kind, r.utc])).toEqual([
      ['RMC', '1994-03-23T12:35:19.000Z'],
      ['GGA', '1994-03-23T12:35:19.000Z'],
    ]);
    const gga = (await json('decode', 'nmea', '$IIGGA,123519,4807.04,N,1131.00,E,1,8,0.9,545.9,M,46.9,M,,*52', '--date', '2024-06-01')) as Record<string, unknown>[];
    expect(gga[0]).toMatchObject({ utc: '2024-06-01T12:35:19.000Z', sats: 8 });
  });

  it('exits with status 2 and a coded error on bad input', async () => {
    const cases: [string[], string][] = [
      [['decode', 'ble-hrm', '1G'], 'TL_ERR_HEX'],
      [['decode', 'ble-hrm', 'A4 0'], 'TL_ERR_HEX'],
      [['decode', 'ble-hrm', '10 48 54'], 'TL_ERR_BLE_PAYLOAD'],
      [['decode', 'ble-battery', '65'], 'TL_ERR_BLE_PAYLOAD'],
      [['decode', 'ant', 'A4 01 4A 00 EE'], 'TL_ERR_ANT_FRAME'],
      [['decode', 'nmea', '$IIHDM,201.5,M*21'], 'TL_ERR_NMEA_SENTENCE'],
      [['decode', 'ble-heart'], 'TL_ERR_CLI_USAGE'],
      [['decode', 'ant'], 'TL_ERR_CLI_USAGE'],
      [['decode', 'ble-hrm', '00 50', '--profile', 'hrm'], 'TL_ERR_CLI_USAGE'],
      [['decode', 'nmea', '$IIHDM,201.5,M*24', '--date', '2024-02-30'], 'TL_ERR_CLI_USAGE'],
    ];
    for (const [argv, code] of cases) {
      const out = await run(...argv);
      expect(out.exitCode, argv.join(' ')).toBe(2);
      expect(out.stdout).toBe('');
      expect(out.stderr.startsWith(`${code}:`), `${argv.join(' ')} → ${out.stderr}`).toBe(true);
    }
  });

  it('is listed in the help', async () => {
    const out = await run('--help');
    expect(out.stdout).toMatch(/^\s+decode\s+decode BLE/m);
    expect((await run('decode', '--help')).stdout).toContain('ble-hrm HEX');
  });
});
