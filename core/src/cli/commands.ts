/** Every `touchline` subcommand, in the order `--help` lists them. */
import type { Command } from './command.ts';
import { hrvCommand } from './hrv.command.ts';
import { decodeCommand } from './decode.command.ts';
import { loadCommand } from './load.command.ts';
import { fitCommand } from './fit.command.ts';

export const commands: Command[] = [decodeCommand, loadCommand, hrvCommand, fitCommand];
