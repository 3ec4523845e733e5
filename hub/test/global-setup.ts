/** Vitest global setup of the `edge` project: the crash-recovery test runs the hub as built for the appliance. */
import { buildHub } from '../build.ts';

export default async function setup(): Promise<void> {
  await buildHub();
}
