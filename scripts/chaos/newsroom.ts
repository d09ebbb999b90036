// The newsroom typing: articles as they appear in the AITable datasheet over the run, some of
// them breaking news, a few edited again later (which sends them round the pipeline once more).
import type { Random } from './random.ts';
import { pick } from './random.ts';

export interface Story {
  headline: string;
  summary: string;
  section: string;
  breaking: boolean;
}

const SECTIONS = ['Politics', 'Sport', 'Culture', 'Business', 'World', 'Local'];
const SUBJECTS = [
  'Harbour ferry',
  'City council',
  'Night market',
  'Tram line',
  'Lighthouse museum',
  'Rowing club',
  'Fish auction',
  'Library',
  'Dock workers',
  'Weather station',
];
const EVENTS = [
  'changes its timetable',
  'votes on the budget',
  'opens a new wing',
  'wins the regional final',
  'moves to the old quay',
  'faces a storm warning',
  'celebrates 100 years',
  'hires a new director',
];

export function writeStory(random: Random, index: number, breakingShare: number): Story {
  const subject = pick(random, SUBJECTS);
  const event = pick(random, EVENTS);
  return {
    headline: `${subject} ${event} (#${index + 1})`,
    summary: `${subject} ${event}. Reporters on the scene describe what changes for residents, with reactions from the harbour district.`,
    section: pick(random, SECTIONS),
    breaking: random() < breakingShare,
  };
}

/** The AITable cells for a story (field names of the fake's default datasheet). */
export function cellsFor(story: Story): Record<string, unknown> {
  return { Headline: story.headline, Summary: story.summary, Section: story.section, Breaking: story.breaking };
}

export function editedSummary(story: Story): string {
  return `${story.summary} Update: the council has confirmed the details this afternoon.`;
}
