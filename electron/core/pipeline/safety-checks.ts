// The safety gate: what the scorers found, as one check per concern with pass / warn / fail and a
// reason an editor can act on. Derived from the stored flags and score, so every scorer (the local
// technical check, a vision model, a test fake) feeds the same gate and older images get one too.
// A fail holds the image until an editor approves it with a reason; a warn only stops auto-approval.
import type { SafetyCheck, ScoreFlag } from '../../../shared/domain.ts';

export interface GateInput {
  flags: readonly ScoreFlag[];
  /** The image's score; null for an editor's photo (not graded). */
  score: number | null;
  /** The tier's pass mark. */
  minScore: number;
  /** An editor's photo: no model made it, so the model checks do not apply. */
  photo?: boolean;
}

/** A score this far below the pass mark means the image is about something else. */
const OFF_TOPIC_MARGIN = 3;

export function safetyChecks({ flags, score, minScore, photo = false }: GateInput): SafetyCheck[] {
  const has = (flag: ScoreFlag) => flags.includes(flag);
  const pass = (reason: string) => ({ state: 'pass' as const, reason });
  const checks: SafetyCheck[] = [
    {
      id: 'text',
      label: 'Text in the image',
      ...(has('legible_text')
        ? { state: 'warn' as const, reason: 'legible text found: check it is spelled right and says nothing false' }
        : pass('no legible text found')),
    },
    {
      id: 'people',
      label: 'Faces / real people',
      ...(has('identifiable_person')
        ? { state: 'fail' as const, reason: 'shows an identifiable person: an AI image must not put a real face to a story' }
        : has('photoreal_event')
          ? { state: 'warn' as const, reason: 'photorealistic scene of a news event: readers may take it for a photo' }
          : pass('no identifiable person found')),
    },
    {
      id: 'violence',
      label: 'Violence / gore',
      ...(has('gore') ? { state: 'fail' as const, reason: 'graphic violence or gore found' } : pass('no violence or gore found')),
    },
    // the vision check reports logos together with readable text and signage
    {
      id: 'logos',
      label: 'Logos / brands',
      ...(has('legible_text')
        ? { state: 'warn' as const, reason: 'readable text or signage found, which may be a logo or brand' }
        : pass('no logo or signage flagged by the checks')),
    },
    { id: 'topic', label: 'On topic', ...topicCheck(score, minScore, has('low_score'), photo) },
    {
      id: 'technical',
      label: 'Technical',
      ...(has('blank_or_broken')
        ? { state: 'fail' as const, reason: 'blank or broken image' }
        : has('wrong_size')
          ? { state: 'warn' as const, reason: 'not the expected size: crops may cut into it' }
          : pass('decodes, the expected size')),
    },
    {
      id: 'duplicate',
      label: 'Not a repeat',
      ...(has('near_duplicate')
        ? { state: 'warn' as const, reason: 'looks like an image already published for another story' }
        : pass('not like any published image')),
    },
  ];
  return checks;
}

function topicCheck(score: number | null, minScore: number, lowScore: boolean, photo: boolean): Pick<SafetyCheck, 'state' | 'reason'> {
  if (score === null) return { state: 'pass', reason: photo ? "an editor's photo (not graded)" : 'not graded' };
  if (score <= minScore - OFF_TOPIC_MARGIN)
    return { state: 'fail', reason: `scored ${score}, far below the pass mark ${minScore}: probably off topic` };
  if (score < minScore || lowScore) return { state: 'warn', reason: `scored ${score}, below the pass mark ${minScore}` };
  return { state: 'pass', reason: `scored ${score} (pass mark ${minScore})` };
}

/** Checks that failed, as "Label: reason" lines (the refusal, the log, the write-back). */
export function failedChecks(checks: readonly SafetyCheck[]): string[] {
  return checks.filter((check) => check.state === 'fail').map((check) => `${check.label}: ${check.reason}`);
}

/** Auto-approval passes only an image every check passed. */
export function autoApprovable(checks: readonly SafetyCheck[]): { ok: boolean; held: string[] } {
  const held = checks.filter((check) => check.state !== 'pass').map((check) => `${check.label} ${check.state}: ${check.reason}`);
  return { ok: held.length === 0, held };
}
