import type { FlagSetDefinition } from '@vexil/core';

/**
 * Flag keys whose evaluation may differ between two definitions: flags that changed,
 * flags using a segment or a weight table that changed, and flags whose prerequisites
 * changed (transitively).
 * Errs on the side of listing too many.
 */
export function changedKeys(before: FlagSetDefinition | undefined, after: FlagSetDefinition): string[] {
  const oldFlags = before?.flags ?? {};
  const newFlags = after.flags;
  const text = new Map<string, string>();
  for (const [key, flag] of Object.entries(newFlags)) text.set(key, JSON.stringify(flag));
  const changed = new Set<string>();
  for (const key of new Set([...Object.keys(oldFlags), ...Object.keys(newFlags)])) {
    const old = oldFlags[key];
    if (old === undefined || !newFlags[key] || JSON.stringify(old) !== text.get(key)) changed.add(key);
  }
  const oldSegments = before?.segments ?? {};
  const newSegments = after.segments ?? {};
  for (const key of new Set([...Object.keys(oldSegments), ...Object.keys(newSegments)])) {
    if (JSON.stringify(oldSegments[key]) === JSON.stringify(newSegments[key])) continue;
    // A segment may use another segment; mentioning its key is enough to be listed.
    const needle = JSON.stringify(key);
    for (const [flagKey, json] of text) if (json.includes(needle)) changed.add(flagKey);
  }
  const oldTables = before?.subjectWeights ?? {};
  const newTables = after.subjectWeights ?? {};
  for (const key of new Set([...Object.keys(oldTables), ...Object.keys(newTables)])) {
    if (JSON.stringify(oldTables[key]) === JSON.stringify(newTables[key])) continue;
    const needle = `"weightedBy":${JSON.stringify(key)}`;
    for (const [flagKey, json] of text) if (json.includes(needle)) changed.add(flagKey);
  }
  let grew = changed.size > 0;
  while (grew) {
    grew = false;
    for (const [flagKey, json] of text) {
      if (changed.has(flagKey)) continue;
      for (const key of changed) {
        if (json.includes(`"flag":${JSON.stringify(key)}`)) {
          changed.add(flagKey);
          grew = true;
          break;
        }
      }
    }
  }
  return [...changed].sort();
}
