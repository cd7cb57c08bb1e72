import { formatPath } from '@vexil/core';
import type { z } from 'zod';
import type { Issue } from '../errors/index.js';

type Path = readonly PropertyKey[];

/** Zod's issues as Vexil issues: a readable path and a message that names the problem. */
export function zodIssues(error: z.ZodError, prefix: Path = []): Issue[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    return { path: formatPath(path), message: describeIssue(issue) };
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_type':
      return issue.input === undefined
        ? `required (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${describeValue(issue.input)}`;
    default:
      return issue.message.length > 0
        ? issue.message[0]!.toLowerCase() + issue.message.slice(1)
        : issue.message;
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/** Issues from the core (path arrays), relative to `prefix` when they lie under it. */
export function relativeIssues(
  issues: readonly { path: readonly (string | number)[]; message: string }[],
  prefix: readonly (string | number)[],
): Issue[] {
  return issues.map((issue) => {
    const under = prefix.every((p, i) => issue.path[i] === p);
    return { path: formatPath(under ? issue.path.slice(prefix.length) : issue.path), message: issue.message };
  });
}
