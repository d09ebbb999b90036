// The first-run screen's "Run the pipeline on this computer" (issue 14): its answers become the
// config's source, providers, tiers, storage and publisher sections, merged into whatever file is
// there (everything else kept), and the keys it was given, named the way those sections name them.
// The service checks the result with the config file's own validator before anything is written.
import type { SettingsIssue, SoloSetup } from '../../../shared/contract.ts';

type Raw = Record<string, unknown>;

export const DEFAULT_AITABLE_API = 'https://aitable.ai/fusion/v1';
/** The image service's name in `providers` (tiers list it before the title card it falls back to). */
export const SETUP_PROVIDER = 'setup-images';

/** The key names the setup writes into the config (the adapters' own defaults, spelled out). */
export const SETUP_KEYS = {
  aitable: 'aitable',
  openai: 'openai',
  workersAi: 'cloudflare-workers-ai',
  r2AccessKeyId: 'r2AccessKeyId',
  r2SecretAccessKey: 'r2SecretAccessKey',
  webhook: 'webhookSigningSecret',
} as const;

export interface DatasheetLink {
  baseUrl: string;
  datasheetId: string;
  viewId: string | null;
}

/** An AITable (or self-hosted APITable) datasheet link, or its bare dst… id. */
export function parseDatasheetLink(text: string): DatasheetLink | string {
  const trimmed = text.trim();
  const id = /\b(dst[A-Za-z0-9]{6,})\b/.exec(trimmed)?.[1];
  if (!id) return 'paste the datasheet’s link from the browser’s address bar (it contains dst…), or its dst… id';
  const viewId = /\b(viw[A-Za-z0-9]{4,})\b/.exec(trimmed)?.[1] ?? null;
  if (!/^https?:\/\//i.test(trimmed)) return { baseUrl: DEFAULT_AITABLE_API, datasheetId: id, viewId };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return 'that link is not a web address: copy it again from the browser’s address bar';
  }
  const host = url.hostname.toLowerCase();
  const baseUrl = host === 'aitable.ai' || host.endsWith('.aitable.ai') ? DEFAULT_AITABLE_API : `${url.origin}/fusion/v1`;
  return { baseUrl, datasheetId: id, viewId };
}

/** The file with the setup's sections in it (and the keys to store), or the issues that stop it. */
export function setupConfig(file: Raw, setup: SoloSetup): { raw: Raw; keys: Record<string, string>; issues: SettingsIssue[] } {
  const issues: SettingsIssue[] = [];
  const keys: Record<string, string> = {};
  const key = (name: string, value: string | undefined) => {
    if (value) keys[name] = value;
  };
  const raw: Raw = { ...file };

  const link = parseDatasheetLink(setup.datasheet);
  if (typeof link === 'string') issues.push({ path: 'source.datasheetId', message: link });
  else {
    // a file that already maps an AITable source keeps its mapping and write-back
    const previous = isObject(file.source) && file.source.type === 'aitable' ? file.source : {};
    raw.source = {
      ...previous,
      type: 'aitable',
      datasheetId: link.datasheetId,
      ...(link.viewId ? { viewId: link.viewId } : {}),
      ...(link.baseUrl !== DEFAULT_AITABLE_API ? { baseUrl: link.baseUrl } : {}),
      tokenSecret: SETUP_KEYS.aitable,
    };
    if (!link.viewId) delete (raw.source as Raw).viewId;
    if (link.baseUrl === DEFAULT_AITABLE_API) delete (raw.source as Raw).baseUrl;
  }
  key(SETUP_KEYS.aitable, setup.aitableToken);

  const providers: Raw = isObject(file.providers) ? { ...file.providers } : {};
  const tiers: Raw = isObject(file.tiers) ? { ...file.tiers } : {};
  const images = setup.images;
  if (images.type === 'title-card') {
    delete providers[SETUP_PROVIDER];
    for (const tier of ['breaking', 'regular'] as const) {
      const given = isObject(tiers[tier]) ? { ...tiers[tier] } : {};
      given.providers = ['title-card'];
      tiers[tier] = given;
    }
  } else {
    providers[SETUP_PROVIDER] =
      images.type === 'openai'
        ? { type: 'openai', apiKeySecret: SETUP_KEYS.openai }
        : { type: 'workers-ai', accountId: images.accountId, apiTokenSecret: SETUP_KEYS.workersAi };
    key(images.type === 'openai' ? SETUP_KEYS.openai : SETUP_KEYS.workersAi, images.type === 'openai' ? images.apiKey : images.apiToken);
    // a service that fails or runs late falls back to a title card, so no story waits without an image
    for (const tier of ['breaking', 'regular'] as const) {
      const given = isObject(tiers[tier]) ? { ...tiers[tier] } : {};
      given.providers = [SETUP_PROVIDER, 'title-card'];
      tiers[tier] = given;
    }
  }
  raw.providers = providers;
  if (Object.keys(providers).length === 0) delete raw.providers;
  raw.tiers = tiers;

  const storage = setup.storage;
  if (storage.type === 'disk') delete raw.storage;
  else {
    raw.storage = {
      type: 'r2',
      accountId: storage.accountId,
      bucket: storage.bucket,
      publicBaseUrl: storage.publicBaseUrl,
      accessKeyIdSecret: SETUP_KEYS.r2AccessKeyId,
      secretAccessKeySecret: SETUP_KEYS.r2SecretAccessKey,
    };
    key(SETUP_KEYS.r2AccessKeyId, storage.accessKeyId);
    key(SETUP_KEYS.r2SecretAccessKey, storage.secretAccessKey);
  }

  const publisher = setup.publisher;
  if (publisher.type === 'relay') delete raw.publisher;
  else {
    raw.publisher = { type: 'webhook', url: publisher.url, signingSecret: SETUP_KEYS.webhook };
    key(SETUP_KEYS.webhook, publisher.signingSecret);
  }
  return { raw, keys, issues };
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
