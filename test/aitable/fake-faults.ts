// Scheduled fault windows for the fake Fusion API: for a stretch of wall-clock time, matching
// requests get what a bad day at AITable (or the proxy in front of it) looks like — a 401, a 429
// with Retry-After, a 5xx, no answer at all, an HTML error page, or JSON cut off mid-body.
import type { ServerResponse } from 'node:http';

export const FAULT_KINDS = ['unauthorized', 'rate-limited', 'server-error', 'hang', 'html-error', 'truncated-json'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What the fault logic needs to know about a request (the fake's FakeRequest satisfies it). */
export interface FaultRequest {
  method: string;
  path: string;
}

export interface FaultWindow {
  kind: FaultKind;
  /** Wall-clock ms (Date.now()) when the window opens and closes; [from, until). */
  from: number;
  until: number;
  /** Share of matching requests hit, 0–1 (default 1): an unreliable proxy, not a dead one. */
  ratio?: number;
  /** 'rate-limited': the Retry-After header in seconds (default 2). */
  retryAfterSeconds?: number;
  /** 'server-error': the HTTP status (default 503). */
  status?: number;
  match?: (req: FaultRequest) => boolean;
}

export interface FaultPlan {
  add(window: FaultWindow): void;
  /** Ends every window and releases hung requests (their sockets are destroyed). */
  clear(): void;
  /** The window in force for this request now, if it is hit. */
  pick(req: FaultRequest, now?: number): FaultWindow | null;
  /** Answers a request in the window's way; false for 'truncated-json' (served normally, then cut). */
  respond(window: FaultWindow, res: ServerResponse): boolean;
  /** Requests held open by 'hang' windows. */
  readonly hung: number;
  readonly windows: readonly FaultWindow[];
}

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

function json(res: ServerResponse, status: number, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function createFaultPlan(random: () => number = Math.random): FaultPlan {
  const windows: FaultWindow[] = [];
  const hung = new Set<ServerResponse>();

  return {
    add(window) {
      windows.push({ ...window });
    },
    clear() {
      windows.splice(0);
      for (const res of hung) res.destroy();
      hung.clear();
    },
    pick(req, now = Date.now()) {
      const open = windows.find((w) => now >= w.from && now < w.until && (!w.match || w.match(req)));
      if (!open) return null;
      return random() < (open.ratio ?? 1) ? open : null;
    },
    respond(window, res) {
      switch (window.kind) {
        case 'unauthorized':
          json(res, 401, { success: false, code: 401, message: 'Unauthorized' });
          return true;
        case 'rate-limited':
          json(
            res,
            429,
            { success: false, code: 429, message: 'The API request rate for the current space is 5 queries per second (QPS).' },
            { 'Retry-After': String(window.retryAfterSeconds ?? 2) },
          );
          return true;
        case 'server-error': {
          const status = window.status ?? 503;
          json(res, status, { success: false, code: 500, message: `SERVER_ERROR (fault window ${status})` });
          return true;
        }
        case 'hang':
          // accepted, never answered: only the client's own deadline ends it
          hung.add(res);
          res.once('close', () => hung.delete(res));
          return true;
        case 'html-error':
          res.writeHead(502, { 'Content-Type': 'text/html' });
          res.end(NGINX_502);
          return true;
        case 'truncated-json':
          return false;
      }
    },
    get hung() {
      return hung.size;
    },
    get windows() {
      return windows;
    },
  };
}

/** A JSON body cut off half way, as a dropped connection or a broken proxy leaves it. */
export function truncateJson(text: string): string {
  return text.slice(0, Math.max(1, Math.floor(text.length / 2)));
}
