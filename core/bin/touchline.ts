#!/usr/bin/env node
import { runCli } from '../src/cli/main.ts';

// A reader that stops early (`touchline fit x --records | head`) is normal use, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const outcome = await runCli(process.argv.slice(2));
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exitCode = outcome.exitCode;
