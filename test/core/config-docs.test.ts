// Every documented key works and every config object is strict: the example config parses
// strictly, the keys and adapter types README names exist in the schemas, and no object in any
// config schema (top level, sections, each adapter's options) silently drops an unknown key.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENTRY_SCHEMAS, PROVIDER_LIMIT_KEYS } from '../../electron/core/adapters/registry/index.ts';
import { ProviderLimitsSchema } from '../../electron/core/adapters/limits.ts';
import { parseConfig } from '../../electron/core/settings/config-load.ts';
import { ConfigSchema } from '../../electron/core/config/schema.ts';
import { PromptConfigSchema } from '../../electron/core/prompt/build-prompt.ts';

const read = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');

interface JsonNode {
  properties?: Record<string, JsonNode>;
  additionalProperties?: boolean | JsonNode;
  items?: JsonNode;
  anyOf?: JsonNode[];
  oneOf?: JsonNode[];
  allOf?: JsonNode[];
}

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonNode;

/** Every object node with named properties, by path ("*" = any key of a map, "[]" = any item). */
function objectNodes(node: JsonNode, path: string[] = [], out: { path: string; node: JsonNode }[] = []) {
  if (node.properties) {
    out.push({ path: path.join('.'), node });
    for (const [key, child] of Object.entries(node.properties)) objectNodes(child, [...path, key], out);
  }
  if (node.additionalProperties && typeof node.additionalProperties === 'object')
    objectNodes(node.additionalProperties, [...path, '*'], out);
  if (node.items) objectNodes(node.items, [...path, '[]'], out);
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) objectNodes(branch, path, out);
  return out;
}

/** What a config file can hold, by where it goes: the top level, `prompt`, and each kind's adapter types. */
const SCHEMAS: [string, z.ZodType][] = [
  ['(top level)', ConfigSchema],
  ['prompt', PromptConfigSchema],
  ['provider limits', ProviderLimitsSchema],
  ...Object.entries(ENTRY_SCHEMAS).flatMap(([kind, types]) =>
    Object.entries(types).map(([type, schema]): [string, z.ZodType] => [`${kind} ${type}`, schema]),
  ),
];

/** Open on purpose: adapter entries (checked by their type's schema, below) and ComfyUI's own workflow nodes. */
const OPEN = new Set([
  '(top level) providers.*',
  '(top level) scorers.[]',
  '(top level) source',
  '(top level) storage',
  '(top level) publisher',
  '(top level) promptWriter',
  'provider comfyui workflow.*',
]);

describe('config schemas', () => {
  it('are strict at every level, except the few open on purpose', () => {
    const loose: string[] = [];
    let objects = 0;
    for (const [name, schema] of SCHEMAS) {
      for (const { path, node } of objectNodes(jsonSchema(schema))) {
        objects++;
        const where = `${name} ${path}`.trim();
        if (node.additionalProperties !== false && !OPEN.has(where)) loose.push(where);
      }
    }
    expect(loose).toEqual([]);
    expect(objects).toBeGreaterThan(40);
  });

  it("reject an unknown key at the root of every adapter type's options", () => {
    for (const [kind, types] of Object.entries(ENTRY_SCHEMAS)) {
      for (const type of Object.keys(types)) {
        const path =
          kind === 'provider'
            ? ['providers', 'p']
            : kind === 'scorer'
              ? ['scorers', 0]
              : [kind === 'prompt writer' ? 'promptWriter' : kind];
        const entry = { type, typoKey: 1 };
        const raw =
          path.length === 2 ? { [path[0] as string]: path[0] === 'scorers' ? [entry] : { p: entry } } : { [path[0] as string]: entry };
        const where = path[0] === 'scorers' ? 'scorers[0]' : path.join('.');
        expect(() => parseConfig(raw), `${kind} ${type}`).toThrow(`${where}.typoKey: unknown key`);
      }
    }
  });
});

describe('documented config', () => {
  it('docs/hero-desk.config.example.json parses strictly and sets what it says', () => {
    const raw: unknown = JSON.parse(read('docs/hero-desk.config.example.json'));
    const config = parseConfig(raw); // strict: any key the code does not read is an error
    expect(config.site).toBe('The Harbour Herald');
    expect(config.tiers.breaking.dailyBudgetUsd).toBe(20);
    expect(config.tiers.breaking).toMatchObject({ deadlineSeconds: 60, upgradePolicy: 'candidate' });
    expect(config.providers['openai-premium']).toMatchObject({ concurrency: 2, ratePerMinute: 20 });
    expect(PROVIDER_LIMIT_KEYS).toEqual(['concurrency', 'ratePerMinute']);
  });

  it("names only keys and adapter types that exist, in README's configuration section", () => {
    const readme = read('README.md');
    const section = readme.slice(
      readme.indexOf('## Going live: configuration'),
      readme.indexOf('\n## ', readme.indexOf('## Going live: configuration') + 5),
    );
    expect(section.length).toBeGreaterThan(500);

    const allKeys = new Set(
      SCHEMAS.flatMap(([, schema]) => objectNodes(jsonSchema(schema)).flatMap(({ node }) => Object.keys(node.properties ?? {}))),
    );
    const quotedKeys = [...section.matchAll(/`[^`]*?"(\w+)":[^`]*`/g)].map((match) => match[1] as string);
    expect(quotedKeys.length).toBeGreaterThan(0);
    for (const key of quotedKeys) expect(allKeys, `README names "${key}"`).toContain(key);

    // dotted paths such as `source.pollIntervalMs` or `relay.allowedOrigins`, resolved from the top level
    const topLevel = jsonSchema(ConfigSchema).properties ?? {};
    const dotted = [...section.matchAll(/`([a-z]\w*(?:\.\w+)+)`/g)]
      .map((match) => match[1] as string)
      .filter((path) => !/\.(json|js|mjs|ts|sh|md)$/.test(path));
    for (const path of dotted) {
      const [first, ...rest] = path.split('.');
      expect(Object.keys(topLevel), `README names ${path}`).toContain(first);
      if (first === 'source' || first === 'storage' || first === 'publisher' || first === 'providers') {
        expect(allKeys, `README names ${path}`).toContain(rest.at(-1));
      } else {
        let node: JsonNode | undefined = topLevel[first as string];
        for (const key of rest) node = objectNodes(node ?? {}).find((entry) => entry.path === '')?.node.properties?.[key];
        expect(node, `README names ${path}`).toBeDefined();
      }
    }

    const kinds: Record<string, keyof typeof ENTRY_SCHEMAS> = {
      Source: 'source',
      'Image provider': 'provider',
      Scorer: 'scorer',
      Storage: 'storage',
      Publisher: 'publisher',
    };
    let types = 0;
    for (const [seam, kind] of Object.entries(kinds)) {
      const row = section.split('\n').find((line) => line.startsWith(`| ${seam} |`));
      expect(row, `seam table row ${seam}`).toBeDefined();
      const named = [
        ...(row ?? '')
          .split('|')
          .slice(2)
          .join('|')
          .matchAll(/`([\w-]+)`/g),
      ].map((match) => match[1] as string);
      for (const type of named) expect(Object.keys(ENTRY_SCHEMAS[kind]), `${seam} type ${type}`).toContain(type);
      types += named.length;
    }
    expect(types).toBeGreaterThanOrEqual(15);
  });
});
