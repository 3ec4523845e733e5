/**
 * Builds the hub as the appliance runs it (`hub/bin/touchline-hub`): one JavaScript file per entry
 * point in hub/dist/, holding the hub, the workspace libraries it imports and the pure-ESM
 * libraries TypeBox, Kysely and yaml. Two savings, measured in docs/benchmarks.md ("Memory"):
 * Node never loads its TypeScript stripper (a WebAssembly compiler of about 18 MB per thread),
 * and some 1 700 module files become a few. The other dependencies stay in node_modules, since
 * several of them find their own files by path at run time.
 *
 * The tests run the source; the crash-recovery test runs this build.
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const hubDir = fileURLToPath(new URL('./', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/', import.meta.url));
const INLINED = /^(@touchline\/|typebox(\/|$)|kysely(\/|$)|yaml(\/|$))/;

export async function buildHub(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    cwd: hubDir,
    input: {
      main: 'src/main.ts',
      // A thread of its own (src/store/store-maintenance.ts), so an entry point of its own.
      'store-maintenance.worker': 'src/store/store-maintenance.worker.ts',
    },
    platform: 'node',
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !INLINED.test(id),
    logLevel: 'warn',
    output: { dir: outDir, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
  });
}

if (import.meta.main) await buildHub();
