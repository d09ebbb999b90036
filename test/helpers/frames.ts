// WebSocket frames as tests read them: the text of a frame (ws hands over a Buffer, an ArrayBuffer or
// fragments), and the relay's and the bridge's frames parsed with their schemas, never cast.
import type { RawData } from 'ws';
import { z } from 'zod';
import { EventSchema, type HeroEvent } from '../../shared/contract.ts';
import { PublicationMessageSchema } from '../../shared/publication.ts';

export function frameText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(new Uint8Array(data)).toString('utf8');
}

/** The relay's frames: `hello` (no message) and `article` (the shared readers' message). */
export const ReaderFrameSchema = z.looseObject({ type: z.string(), message: PublicationMessageSchema.optional() });
export type ReaderFrame = z.infer<typeof ReaderFrameSchema>;

export const readerFrame = (data: RawData): ReaderFrame => ReaderFrameSchema.parse(JSON.parse(frameText(data)));

/** A board event from the bridge's event socket. */
export const boardEvent = (data: RawData): HeroEvent => EventSchema.parse(JSON.parse(frameText(data)));
