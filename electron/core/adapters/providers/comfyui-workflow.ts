// ComfyUI workflow templates: an API-format graph {nodeId: {class_type, inputs}} plus a map saying
// which node input receives the prompt, negative prompt, seed and size. Pure data in, graph out.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AdapterError } from '../types.ts';
import defaultSdxlWorkflow from './comfyui-sdxl-workflow.json' with { type: 'json' };
import { errorMessage } from '../../base/failures.ts';

export const WorkflowNodeSchema = z.looseObject({
  class_type: z.string().min(1),
  inputs: z.record(z.string(), z.unknown()),
});
export const WorkflowSchema = z.record(z.string(), WorkflowNodeSchema);
export type Workflow = z.infer<typeof WorkflowSchema>;

export const NodeInputSchema = z.strictObject({ node: z.string().min(1), input: z.string().min(1) });
export type NodeInput = z.infer<typeof NodeInputSchema>;

export const WorkflowBindingsSchema = z.strictObject({
  prompt: NodeInputSchema,
  negative: NodeInputSchema.optional(),
  seed: NodeInputSchema.optional(),
  width: NodeInputSchema.optional(),
  height: NodeInputSchema.optional(),
});
export type WorkflowBindings = z.infer<typeof WorkflowBindingsSchema>;

/** Bindings for the shipped SDXL template (comfyui-sdxl-workflow.json). */
export const DEFAULT_SDXL_BINDINGS: WorkflowBindings = {
  prompt: { node: '6', input: 'text' },
  negative: { node: '7', input: 'text' },
  seed: { node: '3', input: 'seed' },
  width: { node: '5', input: 'width' },
  height: { node: '5', input: 'height' },
};

export const DEFAULT_SDXL_WORKFLOW: Workflow = WorkflowSchema.parse(defaultSdxlWorkflow);

export interface WorkflowSource {
  workflow?: Workflow | undefined;
  workflowPath?: string | undefined;
  bindings?: WorkflowBindings | undefined;
}

/** Resolve the template once at start-up so a broken file or binding fails loudly there, not per article. */
export function loadWorkflowTemplate(source: WorkflowSource): { workflow: Workflow; bindings: WorkflowBindings } {
  const custom = source.workflow ?? (source.workflowPath ? readWorkflowFile(source.workflowPath) : undefined);
  if (custom && !source.bindings) {
    throw new AdapterError('comfyui: a custom workflow needs `nodes` saying where prompt/seed/size go', 'bad_request');
  }
  const workflow = custom ?? DEFAULT_SDXL_WORKFLOW;
  const bindings = source.bindings ?? DEFAULT_SDXL_BINDINGS;
  for (const [role, target] of Object.entries(bindings)) {
    if (!target) continue;
    const node = workflow[target.node];
    if (!node) throw new AdapterError(`comfyui: ${role} binding points at missing node "${target.node}"`, 'bad_request');
    if (!(target.input in node.inputs)) {
      throw new AdapterError(`comfyui: node "${target.node}" (${node.class_type}) has no input "${target.input}"`, 'bad_request');
    }
  }
  return { workflow, bindings };
}

function readWorkflowFile(path: string): Workflow {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new AdapterError(`comfyui: cannot read workflow ${path}: ${errorMessage(error)}`, 'bad_request');
  }
  const parsed = WorkflowSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AdapterError(`comfyui: ${path} is not an API-format workflow (export it with "Save (API)")`, 'bad_request');
  }
  return parsed.data;
}

export interface WorkflowValues {
  prompt: string;
  negative: string;
  seed: number;
  width: number;
  height: number;
}

/** A fresh copy of the template with this request's values written into the bound inputs. */
export function fillWorkflow(workflow: Workflow, bindings: WorkflowBindings, values: WorkflowValues): Workflow {
  const graph = structuredClone(workflow);
  const set = (target: NodeInput | undefined, value: string | number) => {
    const node = target ? graph[target.node] : undefined;
    if (target && node) node.inputs[target.input] = value;
  };
  set(bindings.prompt, values.prompt);
  set(bindings.negative, values.negative);
  set(bindings.seed, values.seed);
  // Latent sizes must be multiples of 8; the pipeline crops to the exact size afterwards.
  set(bindings.width, roundTo8(values.width));
  set(bindings.height, roundTo8(values.height));
  return graph;
}

function roundTo8(n: number): number {
  return Math.max(64, Math.round(n / 8) * 8);
}

/** The checkpoint a graph loads, for the card's "model" line. */
export function checkpointName(workflow: Workflow): string | null {
  for (const node of Object.values(workflow)) {
    const name = node.inputs.ckpt_name ?? node.inputs.unet_name;
    if (typeof name === 'string') return name;
  }
  return null;
}
