#!/usr/bin/env node
import { runCli } from '../src/cli/main.ts';

const outcome = await runCli(process.argv.slice(2));
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exitCode = outcome.exitCode;
