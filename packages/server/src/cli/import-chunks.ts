import type { FlagSetDefinition } from '@vexil/core';

type FlagDef = FlagSetDefinition['flags'][string];

/**
 * Splits a flag set into pieces of at most `size` flags for an import in several commits.
 * Every segment and weight table travels with the first piece, and a flag comes after the
 * flags it names as prerequisites, so each piece is valid once the pieces before it are in.
 */
export function chunkFlagSet(file: FlagSetDefinition, size: number): FlagSetDefinition[] {
  const { flags, segments, subjectWeights, ...top } = file;
  const order = prerequisitesFirst(flags);
  const chunks: FlagSetDefinition[] = [];
  for (let i = 0; i < order.length || chunks.length === 0; i += size) {
    const piece: Record<string, FlagDef> = {};
    for (const key of order.slice(i, i + size)) piece[key] = flags[key]!;
    chunks.push({
      ...top,
      ...(i === 0 && segments !== undefined ? { segments } : {}),
      ...(i === 0 && subjectWeights !== undefined ? { subjectWeights } : {}),
      flags: piece,
    });
  }
  return chunks;
}

/** Flag keys with every flag after its prerequisites (file order otherwise; a cycle keeps file order). */
export function prerequisitesFirst(flags: Record<string, FlagDef>): string[] {
  const placed = new Set<string>();
  const order: string[] = [];
  for (const root of Object.keys(flags)) {
    // Depth-first without recursion, so a long chain cannot overflow the stack.
    const stack: { key: string; deps: string[] }[] = [];
    const onStack = new Set<string>();
    const push = (key: string) => {
      onStack.add(key);
      stack.push({ key, deps: prerequisiteKeys(flags[key]!).filter((d) => d in flags) });
    };
    if (!placed.has(root)) push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = top.deps.shift();
      if (next === undefined) {
        stack.pop();
        onStack.delete(top.key);
        placed.add(top.key);
        order.push(top.key);
      } else if (!placed.has(next) && !onStack.has(next)) push(next);
    }
  }
  return order;
}

function prerequisiteKeys(flag: FlagDef): string[] {
  const keys = (flag.prerequisites ?? []).map((p) => p.flag);
  for (const env of Object.values(flag.environments ?? {})) {
    for (const p of env.prerequisites ?? []) keys.push(p.flag);
  }
  return keys;
}

/** Per kind, what an import created, updated, left alone and deleted. */
export interface ImportDiff {
  created: string[];
  updated: string[];
  unchanged: string[];
  deleted: string[];
}

export interface ImportAnswer {
  dryRun: boolean;
  project: string;
  environment: string | null;
  mode: 'merge' | 'replace';
  flags: ImportDiff;
  segments: ImportDiff;
  /** Absent from servers that predate weight tables. */
  subjectWeights?: ImportDiff;
}

/** The answers of several pieces as one. */
export function mergeAnswers(answers: readonly ImportAnswer[]): ImportAnswer {
  const first = answers[0]!;
  const sum = (pick: (a: ImportAnswer) => ImportDiff): ImportDiff => ({
    created: answers.flatMap((a) => pick(a).created),
    updated: answers.flatMap((a) => pick(a).updated),
    unchanged: answers.flatMap((a) => pick(a).unchanged),
    deleted: answers.flatMap((a) => pick(a).deleted),
  });
  const merged: ImportAnswer = { ...first, flags: sum((a) => a.flags), segments: sum((a) => a.segments) };
  if (answers.some((a) => a.subjectWeights !== undefined))
    merged.subjectWeights = sum(
      (a) => a.subjectWeights ?? { created: [], updated: [], unchanged: [], deleted: [] },
    );
  return merged;
}
