/**
 * Heart-rate zone colours: the familiar grey–blue–green–yellow–orange–red ramp, told apart by
 * lightness as well as hue (for colour-blind viewers), each with the text colour that keeps at
 * least 4.5:1 contrast on it (black on yellow, white elsewhere). Models with other than five zones
 * take evenly spaced colours from the same ramp.
 */
const RAMP: readonly { fill: string; text: string }[] = [
  { fill: '#2f6fdf', text: '#fff' },
  { fill: '#178a3a', text: '#fff' },
  { fill: '#f2c200', text: '#000' },
  { fill: '#e0610e', text: '#000' },
  { fill: '#d11f2f', text: '#fff' },
];
const BELOW = { fill: '#5b6472', text: '#fff' };

function swatch(zone: number | null, count: number): { fill: string; text: string } {
  if (zone === null || zone <= 0) return BELOW;
  if (count <= 1) return RAMP[RAMP.length - 1]!;
  const position = ((Math.min(zone, count) - 1) / (count - 1)) * (RAMP.length - 1);
  return RAMP[Math.round(position)]!;
}

/** Colour of zone `zone` (0 below zone 1, then 1…count). */
export function zoneColour(zone: number | null, count = 5): string {
  return swatch(zone, count).fill;
}

/** Text colour readable on zoneColour(zone, count). */
export function zoneTextColour(zone: number | null, count = 5): string {
  return swatch(zone, count).text;
}

/** Zone label: "Z3"; "Z0" below zone 1; "–" without heart rate. */
export function zoneLabel(zone: number | null): string {
  return zone === null ? '–' : `Z${zone}`;
}

/** "Daniel Silva" → "D. Silva", for tiles read from across a pitch. */
export function shortName(name: string): string {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return name;
  return `${parts[0]!.charAt(0)}. ${parts.slice(1).join(' ')}`;
}

/** Lower zone bounds in % HRmax when neither the athlete nor the hub's settings give any (core's default). */
export const DEFAULT_ZONE_BOUNDS: readonly number[] = [50, 60, 70, 80, 90];
