// POST /v1/responses for the fake: vision scoring with strict structured output, and plain text
// (the prompt writer). Images must arrive as base64 data URLs that actually decode.
import type { ServerResponse } from 'node:http';
import sharp from 'sharp';
import { sendError, sendJson } from './fake-http.ts';
import type { FakeContext } from './fake-openai-server.ts';

export interface FakeVerdict {
  score: number;
  reason: string;
  flags: string[];
  revised_prompt: string | null;
  description: string;
}

export const DEFAULT_VERDICT: FakeVerdict = {
  score: 8,
  reason: 'The image matches the story.',
  flags: [],
  revised_prompt: null,
  description: 'A flat colour illustration.',
};

interface ContentPart {
  type?: string;
  text?: string;
  image_url?: string;
  detail?: string;
}
interface ResponsesBody {
  model?: string;
  input?: string | { role?: string; content?: string | ContentPart[] }[];
  text?: { format?: { type?: string; strict?: boolean; schema?: unknown; name?: string } };
}

let counter = 0;

export async function handleResponses(raw: unknown, ctx: FakeContext, res: ServerResponse): Promise<void> {
  const body = (raw ?? {}) as ResponsesBody;
  const invalid = (message: string, param: string): void =>
    sendError(res, 400, message, 'invalid_request_error', 'invalid_value', { param });
  if (!body.model) return invalid('You must provide a model parameter.', 'model');
  if (ctx.retired.has(body.model) || !ctx.models.some((m) => m.id === body.model)) {
    return sendError(
      res,
      404,
      `The model \`${body.model}\` does not exist or you do not have access to it.`,
      'invalid_request_error',
      'model_not_found',
    );
  }
  if (body.input === undefined) return invalid("Missing required parameter: 'input'.", 'input');
  const parts = Array.isArray(body.input)
    ? body.input.flatMap((m) => (typeof m.content === 'string' ? [{ type: 'input_text', text: m.content }] : (m.content ?? [])))
    : [{ type: 'input_text', text: body.input }];
  for (const part of parts.filter((p) => p.type === 'input_image')) {
    const problem = await checkImagePart(part);
    if (problem) return invalid(problem, 'input');
  }
  const format = body.text?.format;
  const structured = format?.type === 'json_schema';
  if (structured && (format.strict !== true || typeof format.schema !== 'object' || !format.name)) {
    return invalid('text.format json_schema needs name, schema and strict: true.', 'text.format');
  }

  const step = ctx.step;
  const inputText = parts.map((p) => p.text ?? '').join('\n');
  const imageCount = parts.filter((p) => p.type === 'input_image').length;
  const usage = (outputText: string) => ({
    input_tokens: Math.ceil(inputText.length / 4) + imageCount * 765,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: Math.ceil(outputText.length / 4),
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: Math.ceil(inputText.length / 4) + imageCount * 765 + Math.ceil(outputText.length / 4),
  });
  if (step?.kind === 'refusal') {
    return sendJson(res, 200, envelope(body.model, 'completed', [{ type: 'refusal', refusal: step.message }], usage(step.message)));
  }
  if (step?.kind === 'incomplete') {
    return sendJson(res, 200, {
      ...envelope(body.model, 'incomplete', [], usage('')),
      incomplete_details: { reason: 'max_output_tokens' },
    });
  }
  let text: string;
  if (step?.kind === 'text') text = step.text;
  else if (structured) text = JSON.stringify({ ...DEFAULT_VERDICT, ...(step?.kind === 'score' ? step.verdict : {}) });
  else text = `A symbolic scene about ${firstLine(inputText)}`;
  return sendJson(res, 200, envelope(body.model, 'completed', [{ type: 'output_text', text, annotations: [] }], usage(text)));
}

async function checkImagePart(part: ContentPart): Promise<string | null> {
  if (!part.detail) return 'input_image.detail is required.';
  const match = /^data:(image\/(?:png|jpeg|webp|gif));base64,(.+)$/.exec(part.image_url ?? '');
  if (!match?.[2]) return 'input_image.image_url must be a URL or a base64 data URL.';
  try {
    await sharp(Buffer.from(match[2], 'base64')).metadata();
    return null;
  } catch {
    return 'The image data you provided does not represent a valid image.';
  }
}

function envelope(model: string, status: string, content: unknown[], usage: unknown) {
  const id = ++counter;
  return {
    id: `resp_fake_${id}`,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model,
    error: null,
    incomplete_details: null,
    output: content.length === 0 ? [] : [{ type: 'message', id: `msg_fake_${id}`, status: 'completed', role: 'assistant', content }],
    usage,
  };
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.startsWith('Headline:'))
      ?.replace('Headline:', '')
      .trim() ?? 'the story'
  );
}
