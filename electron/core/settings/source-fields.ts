// The live field check: a draft's AITable field mapping against the datasheet's real fields
// (GET …/fields), with the fields themselves so the screen can offer them as choices.
import type { FieldCheckResult } from '../../../shared/contract.ts';
import { AitableConfigSchema } from '../adapters/aitable/config.ts';
import { createAitableClient } from '../adapters/aitable/client.ts';
import { fieldReport } from '../adapters/aitable/field-check.ts';
import type { SecretStore } from '../adapters/types.ts';
import { parseStrict } from '../config/issues.ts';
import { classifyError, errorMessage } from '../base/failures.ts';
import type { Logger } from '../base/log.ts';
import { issueOf } from './issues.ts';

/** An editor is waiting: one quick retry, not the poller's patient back-off. */
const INTERACTIVE = { retry: { retries: 1, minTimeoutMs: 200, maxTimeoutMs: 1_000 }, requestTimeoutMs: 15_000 };

export async function checkSourceFields(source: unknown, secrets: SecretStore, logger: Logger): Promise<FieldCheckResult> {
  if (typeof source !== 'object' || source === null || (source as { type?: unknown }).type !== 'aitable') {
    return {
      status: 'unavailable',
      message:
        'The story source is not AITable: set source.type to "aitable" in the config file (with its datasheetId), restart, then map its fields here',
    };
  }
  const { type: _type, ...options } = source as Record<string, unknown>;
  const parsed = parseStrict(AitableConfigSchema, options, ['source'], ['type']);
  if (!parsed.success) return { status: 'invalid', issues: parsed.lines.map(issueOf) };
  const config = parsed.data;
  const client = createAitableClient({ ...options, ...INTERACTIVE } as never, { secrets, logger: logger.child({ module: 'settings' }) });
  let fields;
  try {
    fields = await client.getFields(AbortSignal.timeout(30_000));
  } catch (error) {
    return { status: 'unavailable', message: unavailableMessage(error, config.tokenSecret, config.datasheetId) };
  }
  return {
    status: 'checked',
    fieldKey: config.fieldKey,
    fields: fields.map((field) => ({ id: field.id, name: field.name, type: field.type, editable: field.editable !== false })),
    roles: fieldReport(fields, config, true),
  };
}

function unavailableMessage(error: unknown, tokenSecret: string, datasheetId: string): string {
  const kind = classifyError(error).kind;
  const what = errorMessage(error);
  if (kind === 'auth')
    return `${what}. Set the key "${tokenSecret}" in Keys (an AITable API token with access to ${datasheetId}), then check again`;
  if (kind === 'retryable')
    return `${what}. AITable could not be reached; check the network (or the base URL in the config file) and check again`;
  return `${what}. Check the datasheet id and base URL in the config file, then check again`;
}
