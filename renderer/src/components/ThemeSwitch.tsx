// The colour theme, one small button in the header: Auto (the OS's setting) → Light → Dark → Auto,
// kept in this browser (theme.ts). Its name says the current choice and what a press does.
import { setThemeChoice, THEME_CHOICES, useThemeChoice, type ThemeChoice } from '../theme.ts';

const LABEL: Record<ThemeChoice, string> = { auto: 'Auto (follows your system)', light: 'Light', dark: 'Dark' };
const ICON: Record<ThemeChoice, string> = { auto: '◐', light: '☀', dark: '☾' };

export function ThemeSwitch() {
  const choice = useThemeChoice();
  const next = THEME_CHOICES[(THEME_CHOICES.indexOf(choice) + 1) % THEME_CHOICES.length]!;
  return (
    <button
      type="button"
      className="btn ghost theme-switch"
      data-testid="theme"
      data-choice={choice}
      aria-label={`Colour theme: ${LABEL[choice]}`}
      title={`Colour theme: ${LABEL[choice]}. Click for ${LABEL[next]}`}
      onClick={() => setThemeChoice(next)}
    >
      <span aria-hidden="true">{ICON[choice]}</span>
    </button>
  );
}
