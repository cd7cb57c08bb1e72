import YAML, { Parser } from 'yaml';
import type { Issue } from '../../errors/index.js';

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

export type ParsedYaml =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: Issue[] };

/**
 * Parses YAML text (JSON is YAML too) that may come from anyone. The nesting is measured
 * on the parser's token tree first (without recursion) and refused beyond `maxDepth`:
 * the YAML library composes documents recursively, and a few kilobytes of `- - - …`
 * would otherwise exhaust the stack — which can abort the whole process inside V8's
 * regular-expression compiler, not merely throw. Aliases are capped (no billion laughs).
 */
export function parseYaml(
  text: string,
  options: { maxDepth?: number; maxAliasCount?: number } = {},
): ParsedYaml {
  const maxDepth = options.maxDepth ?? 64;
  if (nestingDepth(text, maxDepth) > maxDepth) {
    return { ok: false, issues: [{ path: '', message: `the YAML nests deeper than ${maxDepth} levels` }] };
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({
        path: e.linePos === undefined ? '' : `line ${e.linePos[0].line}, column ${e.linePos[0].col}`,
        message: `invalid YAML: ${e.message.split('\n')[0] ?? e.message}`,
      })),
    };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: options.maxAliasCount ?? 100 }) as unknown };
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: `invalid YAML: ${(error as Error).message}` }] };
  }
}

/** How deep collections nest in the token tree, counting up to just past `limit`. */
function nestingDepth(text: string, limit: number): number {
  let max = 0;
  for (const token of new Parser().parse(text)) {
    const stack: { node: object; depth: number }[] = [{ node: token, depth: 0 }];
    while (stack.length > 0) {
      const { node, depth } = stack.pop()!;
      const d = COLLECTIONS.has((node as { type?: string }).type ?? '') ? depth + 1 : depth;
      if (d > max) max = d;
      if (max > limit) return max;
      for (const value of Object.values(node)) {
        if (Array.isArray(value)) {
          for (const item of value)
            if (item !== null && typeof item === 'object') stack.push({ node: item, depth: d });
        } else if (value !== null && typeof value === 'object') stack.push({ node: value, depth: d });
      }
    }
  }
  return max;
}
