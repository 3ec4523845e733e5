/** The screen's live connection, shared by the console layout with every page under it. */
import { createContext } from 'svelte';
import type { LiveConnection } from './live.svelte.ts';

export const [getLive, setLive] = createContext<LiveConnection>();
