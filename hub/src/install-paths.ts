/**
 * Where the hub finds the rest of the installation. This file sits one folder below the hub's
 * package root, as the built hub's files do (hub/src/*.ts, hub/dist/*.js), so the same relative
 * path is right whether the hub runs from source or from its build.
 */
import { fileURLToPath } from 'node:url';

const REPOSITORY_ROOT = new URL('../../', import.meta.url);

/** The UI's static build (`npm run build -w @touchline/ui`). */
export const UI_BUILD_DIR = fileURLToPath(new URL('ui/build/', REPOSITORY_ROOT));
/** The firmware bridge's command line, which also runs the demo's simulated squad. */
export const FIRMWARE_BRIDGE_MAIN = fileURLToPath(new URL('firmware-bridge/src/main.ts', REPOSITORY_ROOT));
