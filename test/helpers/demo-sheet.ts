// The embedded demo source's file (<dataDir>/demo-datasheet.json), read with its shape checked so a
// test can append or edit records and write it back.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const DemoSheetSchema = z.object({
  records: z.array(z.object({ recordId: z.string(), fields: z.record(z.string(), z.unknown()) })),
});
export type DemoSheet = z.infer<typeof DemoSheetSchema>;

export const readDemoSheet = (path: string): DemoSheet => DemoSheetSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
