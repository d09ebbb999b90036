// The card's embargo line: the wall-clock time (with the day when it is not today) and what is left.
import { describe, expect, it } from 'vitest';
import { embargoLabel, fromLocalInput, toLocalInput } from '../../renderer/src/board/embargo.ts';

describe('embargo label', () => {
  const now = new Date(2026, 11, 2, 13, 48, 0).getTime(); // local time, as the board's clock
  const at = (h: number, m: number, s = 0, day = 2) => new Date(2026, 11, day, h, m, s).getTime();

  it('reads "Embargoed until 14:00 · 12 min", in seconds for the last minute and hours beyond one', () => {
    const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }); // the machine's locale
    expect(embargoLabel(at(14, 0), now)).toBe(`Embargoed until ${clock(at(14, 0))} · 12 min`);
    expect(embargoLabel(at(13, 48, 40), now)).toMatch(/· 40 s$/);
    expect(embargoLabel(at(15, 18), now)).toMatch(/· 1 h 30 min$/);
    expect(embargoLabel(at(16, 48), now)).toMatch(/· 3 h$/);
    const tomorrow = embargoLabel(at(9, 0, 0, 3), now);
    expect(tomorrow).toMatch(/· 19 h 12 min$/);
    expect(tomorrow.length).toBeGreaterThan(`Embargoed until ${clock(at(9, 0, 0, 3))} · 19 h 12 min`.length); // tomorrow: the day is named
    expect(embargoLabel(now - 1, now)).toMatch(/going out now$/);
  });

  it('turns a datetime-local value into local ms and back, to the minute; nonsense is null', () => {
    expect(fromLocalInput(toLocalInput(at(14, 0)))).toBe(at(14, 0));
    expect(toLocalInput(at(14, 5, 31))).toBe('2026-12-02T14:05');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('tomorrow')).toBeNull();
  });
});
