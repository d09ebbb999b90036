// WebSocket frames as tests read them: the text of a frame (ws hands over a Buffer, an ArrayBuffer or
// fragments), and the relay's and the bridge's frames parsed with their schemas, never cast.
import type { RawData } from 'ws';
import { z } from 'zod';
import { EventSchema, type HeroEvent } from '../../shared/contract.ts';
import { checkPublicationMessage, type PublicationMessage } from '../../shared/publication.ts';

export function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8');
}

/** The relay's frames: `hello` (no message) and `article` (the shared readers' message, checked as the relay checks it). */
const FrameShape = z.looseObject({ type: z.string(), message: z.unknown().optional() });
export type ReaderFrame = Omit<z.infer<typeof FrameShape>, 'message'> & { message?: PublicationMessage };

export function readerFrame(data: RawData): ReaderFrame {
  const { message, ...frame } = FrameShape.parse(JSON.parse(frameText(data)));
  if (message === undefined) return frame;
  const checked = checkPublicationMessage(message);
  if (!checked.ok) throw new Error(`reader frame carries a bad message: ${checked.issues.join('; ')}`);
  return { ...frame, message: checked.message };
}

/** A board event from the bridge's event socket. */
export const boardEvent = (data: RawData): HeroEvent => EventSchema.parse(JSON.parse(frameText(data)));
