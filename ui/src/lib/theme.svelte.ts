/**
 * Light, high-contrast theme by default (tablets outdoors in sunlight); dark for indoors and
 * evenings. The choice is kept per device.
 */
export type Theme = 'light' | 'dark';

const KEY = 'touchline.theme';

class ThemeChoice {
  current = $state<Theme>('light');

  load(fallback: Theme = 'light'): void {
    let saved: string | null = null;
    try {
      saved = localStorage.getItem(KEY);
    } catch {
      // Private mode: the default is fine.
    }
    this.apply(saved === 'dark' || saved === 'light' ? saved : fallback, false);
  }

  apply(theme: Theme, remember = true): void {
    this.current = theme;
    document.documentElement.dataset.theme = theme;
    if (remember) {
      try {
        localStorage.setItem(KEY, theme);
      } catch {
        // Not kept; still applied.
      }
    }
  }

  toggle(): void {
    this.apply(this.current === 'light' ? 'dark' : 'light');
  }
}

export const theme = new ThemeChoice();
