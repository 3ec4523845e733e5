// pm2 process file for the appliance: the hub and the firmware bridge run as separate processes so
// a fault in native radio code (BLE, USB serial) never takes the hub down. Both restart on crash
// with a backoff. Start with `npx pm2 start ops/ecosystem.config.cjs` from the repository root.
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const node = path.join(root, 'node_modules', '.bin', 'node');

module.exports = {
  apps: [
    {
      name: 'touchline-hub',
      cwd: root,
      script: 'hub/src/main.ts',
      interpreter: node,
      // V8's default young generation (up to 2 × 16 MB) is a fifth of the hub's memory; 1 MB costs
      // a little more frequent, sub-millisecond scavenges (docs/benchmarks.md, Memory).
      node_args: '--max-semi-space-size=1',
      exp_backoff_restart_delay: 200,
      kill_timeout: 10000,
      env: { TOUCHLINE_CONFIG: path.join(root, 'config', 'hub.yaml') },
    },
    {
      name: 'touchline-bridge',
      cwd: root,
      script: 'firmware-bridge/src/main.ts',
      args: 'run',
      interpreter: node,
      exp_backoff_restart_delay: 1000,
      kill_timeout: 5000,
    },
  ],
};
