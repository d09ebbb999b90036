// Response shapes of the Fusion API v1, as the open-source server (and AITable) sends them.
// Records are kept loose here (`unknown`) so one malformed record is rejected on its own
// instead of failing the whole page.
import { z } from 'zod';

/** Every reply carries this envelope; `success:false` with HTTP 200 is an error, never data. */
export const EnvelopeSchema = z.object({
  success: z.boolean(),
  code: z.number(),
  message: z.string().optional(),
  data: z.unknown().optional(),
});

export const RecordSchema = z.object({
  recordId: z.string().regex(/^rec\w+$/),
  /** Epoch ms, whole seconds in practice. */
  createdAt: z.number().optional(),
  /** Epoch ms; the key is absent when the column is null. */
  updatedAt: z.number().optional(),
  fields: z.record(z.string(), z.unknown()),
});
export type AitableRecord = z.infer<typeof RecordSchema>;

export const RecordPageSchema = z.object({
  total: z.number().int().min(0),
  pageNum: z.number().int(),
  /** Number of records on this page, not the size asked for. */
  pageSize: z.number().int().min(0),
  records: z.array(z.unknown()),
});
export type RecordPage = z.infer<typeof RecordPageSchema>;

export const RecordListSchema = z.object({ records: z.array(RecordSchema) });

export const FieldMetaSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  editable: z.boolean().optional(),
  isPrimary: z.boolean().optional(),
  property: z.unknown().optional(),
  desc: z.string().optional(),
});
export type FieldMeta = z.infer<typeof FieldMetaSchema>;

export const FieldListSchema = z.object({ fields: z.array(FieldMetaSchema) });

/** Upload reply: `data` is one object, not an array. */
export const UploadedAttachmentSchema = z.object({
  token: z.string().min(1),
  name: z.string(),
  size: z.number().optional(),
  mimeType: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  url: z.string().optional(),
});
export type UploadedAttachment = z.infer<typeof UploadedAttachmentSchema>;
