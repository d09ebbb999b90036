// Light, Dark or Auto (the OS's setting), kept in this browser (theme.ts).
import { setThemeChoice, THEME_CHOICES, useThemeChoice, type ThemeChoice } from '../theme.ts';

const LABEL: Record<ThemeChoice, string> = { auto: 'Auto', light: 'Light', dark: 'Dark' };

export function ThemeSwitch() {
  const choice = useThemeChoice();
  return (
    <select
      className="theme-switch"
      data-testid="theme"
      aria-label="Colour theme"
      title="Colour theme: Auto follows your system's light or dark setting"
      value={choice}
      onChange={(event) => setThemeChoice(event.target.value as ThemeChoice)}
    >
      {THEME_CHOICES.map((option) => (
        <option key={option} value={option}>
          {LABEL[option]}
        </option>
      ))}
    </select>
  );
}
