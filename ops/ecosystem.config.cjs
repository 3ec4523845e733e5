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
      // The built hub (npm run build -w @touchline/hub) through its launcher, which sets the V8
      // options it is measured with; the launcher execs Node, so pm2 signals Node itself.
      script: 'hub/bin/touchline-hub',
      interpreter: 'none',
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
