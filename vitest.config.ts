import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'edge', include: ['{core,hub,firmware-bridge}/test/**/*.test.ts'] } },
      // Central's tests share one throwaway PostgreSQL, started only when a central test runs.
      { extends: true, test: { name: 'central', include: ['central/test/**/*.test.ts'], globalSetup: ['central/test/global-setup.ts'] } },
      // The browser tests run against the UI's static build, built first when it is missing or stale;
      // the portal's tests also need central's throwaway PostgreSQL.
      { extends: true, test: { name: 'ui', include: ['ui/test/**/*.test.ts'], globalSetup: ['ui/test/global-setup.ts', 'central/test/global-setup.ts'] } },
    ],
  },
});
