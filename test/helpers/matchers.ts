// vitest types its asymmetric matchers as `any` (they stand in for any value), so one inside an object
// literal is an unsafe `any` to the type-aware lint. These say what they stand in for.
import { expect, type DeeplyAllowMatchers } from 'vitest';

export const stringContaining = (text: string): string => expect.stringContaining(text) as string;
export const stringMatching = (pattern: string | RegExp): string => expect.stringMatching(pattern) as string;
export const anyNumber = (): number => expect.any(Number) as number;
export const anyString = (): string => expect.any(String) as string;
export const arrayContaining = <T>(items: DeeplyAllowMatchers<T>[]): T[] => expect.arrayContaining<T>(items) as T[];
export const objectContaining = <T extends object>(sample: DeeplyAllowMatchers<T>): T => expect.objectContaining<T>(sample) as T;
