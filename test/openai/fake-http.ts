// JSON and OpenAI-style error replies for the fake server.
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The spec's error envelope: all four keys present. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | null,
  extra: Record<string, unknown> = {},
): void {
  sendJson(res, status, { error: { message, type, param: null, code, ...extra } });
}
