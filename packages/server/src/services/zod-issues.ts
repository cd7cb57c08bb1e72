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
    case 'invalid_type': {
      // zod leaves `input` out of issues (unless asked to report it): its message names what it got.
      const received =
        'input' in issue
          ? issue.input === undefined
            ? 'undefined'
            : describeValue(issue.input)
          : /received (\w+)$/.exec(issue.message)?.[1];
      if (received === undefined) return lowerFirst(issue.message);
      return received === 'undefined'
        ? `required (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${received === 'array' ? 'an array' : received}`;
    }
    default:
      return lowerFirst(issue.message);
  }
}

function lowerFirst(message: string): string {
  return message.length > 0 ? message[0]!.toLowerCase() + message.slice(1) : message;
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
