// AITable (Fusion API v1) adapter: source, write-back, webhook trigger. See README.md.
export { AitableConfigSchema, FieldConditionSchema, RoutingRuleSchema } from './config.ts';
export type { AitableConfig, AitableConfigInput, AitableDeps, AitableLogger, FieldCondition, RoutingRule } from './config.ts';
export { AitableError, MAX_RECORDS_PER_WRITE, createAitableClient } from './client.ts';
export type { AitableClient, ListAllResult, ListRecordsQuery, RecordUpdate } from './client.ts';
export { changedSinceFormula, createAitableSource } from './source.ts';
export type { AitableSource } from './source.ts';
export { createAitableWriteBack } from './write-back.ts';
export { WEBHOOK_PATH, startWebhookServer } from './webhook.ts';
export type { WebhookOptions, WebhookServer } from './webhook.ts';
export { checkFields } from './field-check.ts';
export { mapRecord, routeTier } from './mapping.ts';
