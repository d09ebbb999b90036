// Which way this computer's board is connected (first run, issue 14; one desk, many boards, issue
// 13), as data that survives a restart: `<dataDir>/desktop-mode.json` holds the choice (solo, or a
// desk's address), the desk's personal token lives in its own safeStorage file (desk.enc.json, which
// the core never reads). Also the desk check: one authorised call to the desk, its failure turned
// into a reason and a next step. No Electron import, so tests run it under plain Node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { DeskCheck, DeskRefusal } from '../../shared/desktop.ts';
import { AppInfoSchema } from '../../shared/contract.ts';
import { writeFileAtomicSync } from '../core/base/write-atomic.ts';

export const DESKTOP_MODE_FILE = 'desktop-mode.json';
export const DESK_SECRETS_FILE = 'desk.enc.json';
export const DESK_TOKEN_SECRET = 'desk-token';

const ChoiceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('solo') }),
  z.object({ mode: z.literal('desk'), deskUrl: z.string() }),
]);
export type DesktopChoice = z.infer<typeof ChoiceSchema>;

export function desktopModePath(dataDir: string): string {
  return join(dataDir, DESKTOP_MODE_FILE);
}

/** null: nothing chosen yet (or a file this version cannot read, which asks again rather than guessing). */
export function readDesktopChoice(dataDir: string): DesktopChoice | null {
  let text: string;
  try {
    text = readFileSync(desktopModePath(dataDir), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = ChoiceSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return null;
    if (parsed.data.mode === 'desk' && typeof normaliseDeskAddress(parsed.data.deskUrl) !== 'object') return null;
    return parsed.data;
  } catch {
    return null;
  }
}

export function writeDesktopChoice(dataDir: string, choice: DesktopChoice): void {
  writeFileAtomicSync(desktopModePath(dataDir), `${JSON.stringify(choice, null, 2)}\n`, 0o600);
}

const ADDRESS_NEXT_STEP = 'paste the address your desk admin gave you, like https://desk.example.com or https://desk.example.com:8443';

/** The desk's origin (https://host[:port]), or why the text is not a desk address. */
export function normaliseDeskAddress(raw: string): { origin: string } | string {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    return `“${text}” is not a web address: ${ADDRESS_NEXT_STEP}`;
  }
  if (url.protocol !== 'https:') return `the desk must be reached over https:// (it was ${url.protocol}//): ${ADDRESS_NEXT_STEP}`;
  if (url.username || url.password) return `the address must not carry a user name or password: ${ADDRESS_NEXT_STEP}`;
  if (url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    return `give the desk's address without a path (${url.origin}), not a link inside it`;
  }
  return { origin: url.origin };
}

const TOKEN_PATTERN = /^hd1\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/;

export function deskTokenProblem(token: string): string | null {
  if (TOKEN_PATTERN.test(token.trim())) return null;
  return 'that is not a personal desk token (it starts with hd1. and is printed by “hero-desk users add NAME”): ask your desk admin for yours';
}

/** What the desk check needs from fetch: Electron's net.fetch (the OS trust store and proxy), or Node's in tests. */
export type DeskFetch = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<Response>;

const MESSAGES: Record<Exclude<DeskRefusal, 'address'>, (origin: string) => string> = {
  unreachable: (origin) =>
    `Nothing answered at ${origin}: check the address and that this computer can reach the desk (office network or VPN), or ask your desk admin whether it is running`,
  timeout: (origin) =>
    `${origin} did not answer in time: check the network (VPN?) and try again, or ask your desk admin whether the desk is running`,
  tls: (origin) =>
    `${origin} answered, but its certificate is not trusted by this computer (self-signed, expired, or made for another name): ask your desk admin for a certificate this computer trusts (or install the desk's certificate in the system's certificate store), then try again`,
  token: () =>
    'The desk refused this token (mistyped, or revoked by an admin): ask your desk admin for a new personal token (hero-desk users add NAME)',
  rate_limited: () => 'The desk refuses this computer for now after too many wrong tokens: wait a minute, check the token, then try again',
  not_a_desk: (origin) =>
    `${origin} answered, but not as a Hero Desk: check the address (the desk's, not its reader page or another service)`,
};

const refused = (reason: DeskRefusal, message: string): DeskCheck => ({ status: 'refused', reason, message });

/** Error codes along the cause chain (Node's undici) and Chromium's net::ERR_* names (net.fetch). */
function errorCodes(error: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const { code, message, name, cause } = current as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
    for (const part of [code, name, message]) if (typeof part === 'string' || typeof part === 'number') parts.push(String(part));
    current = cause;
  }
  return parts.join(' ');
}

export function refusalOfNetworkError(
  error: unknown,
): Exclude<DeskRefusal, 'address' | 'token' | 'rate_limited' | 'not_a_desk'> | 'address' {
  const text = errorCodes(error);
  if (/TimeoutError|AbortError|ETIMEDOUT|ERR_TIMED_OUT|UND_ERR_CONNECT_TIMEOUT/.test(text)) return 'timeout';
  if (/CERT|SELF_SIGNED|SSL|TLS|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|self.signed|certificate/i.test(text)) return 'tls';
  if (/ENOTFOUND|EAI_AGAIN|ERR_NAME_NOT_RESOLVED/.test(text)) return 'address';
  return 'unreachable';
}

/** One authorised `appInfo` call: is this a Hero Desk, and does it take the token? */
export async function checkDesk(input: { deskUrl: string; token: string }, fetchDesk: DeskFetch, timeoutMs = 10_000): Promise<DeskCheck> {
  const address = normaliseDeskAddress(input.deskUrl);
  if (typeof address === 'string') return refused('address', address);
  const tokenProblem = deskTokenProblem(input.token);
  if (tokenProblem !== null) return refused('token', tokenProblem);
  const { origin } = address;
  let response: Response;
  try {
    response = await fetchDesk(`${origin}/api/commands/appInfo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${input.token.trim()}`, 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason = refusalOfNetworkError(error);
    if (reason === 'address')
      return refused(
        'address',
        `No computer is called ${new URL(origin).hostname}: check the spelling of the desk's address (or the VPN that makes it known)`,
      );
    return refused(reason, MESSAGES[reason](origin));
  }
  if (response.status === 401) return refused('token', MESSAGES.token(origin));
  if (response.status === 429) return refused('rate_limited', MESSAGES.rate_limited(origin));
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return refused('not_a_desk', MESSAGES.not_a_desk(origin));
  }
  const answer = z.object({ ok: z.literal(true), value: AppInfoSchema }).safeParse(body);
  if (!response.ok || !answer.success) return refused('not_a_desk', MESSAGES.not_a_desk(origin));
  return { status: 'ok', deskUrl: origin, actor: answer.data.value.actor ?? null };
}

/** CSP connect-src for the board: its own origin, plus the configured desk's (HTTPS and WSS) only. */
export function deskConnectSources(deskUrl: string | null): string[] {
  if (deskUrl === null) return [];
  const address = normaliseDeskAddress(deskUrl);
  if (typeof address === 'string') return [];
  return [address.origin, address.origin.replace(/^https:/, 'wss:')];
}
