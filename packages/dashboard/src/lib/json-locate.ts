import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { parseIssuePath } from '../api/errors.js';

/** Where an issue's path points in a JSON text (1-based line), or the nearest parent that exists. */
export interface JsonLocation {
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  /** Whether the exact path exists (false: a parent of it, e.g. for a missing field). */
  readonly exact: boolean;
}

/** Finds an API issue path (`rules[0].conditions[1].op`) in JSON text; undefined if the text doesn't parse. */
export function locatePath(text: string, path: string): JsonLocation | undefined {
  const tree = parseTree(text);
  if (tree === undefined) return undefined;
  const segments = parseIssuePath(path);
  for (let n = segments.length; n >= 0; n--) {
    let node = findNodeAtLocation(tree, segments.slice(0, n));
    if (node === undefined) continue;
    // Point at the property ("op": …) rather than its value, so the line shows the name.
    if (node.parent?.type === 'property') node = node.parent;
    return {
      offset: node.offset,
      length: node.length,
      line: lineOf(text, node.offset),
      exact: n === segments.length,
    };
  }
  return undefined;
}

/** The 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Reads JSON typed by a person, with the line and column of a syntax error. */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    if (position !== null) {
      const offset = Number(position[1]);
      const line = lineOf(text, offset);
      const column = offset - text.lastIndexOf('\n', offset - 1);
      return { ok: false, message: `not valid JSON at line ${line}, column ${column}: ${message}` };
    }
    return { ok: false, message: `not valid JSON: ${message}` };
  }
}
