/**
 * Finds loops in a directed graph with an iterative depth-first search (no recursion,
 * so a long chain can't overflow the stack). `onCycle` gets each loop found, as the
 * nodes from the repeated node round to the one before it returns there.
 * Edges to nodes outside `nodes` are ignored.
 */
export function findCycles(
  nodes: Iterable<string>,
  edges: (node: string) => readonly string[],
  onCycle: (loop: string[]) => void,
): void {
  const known = new Set(nodes);
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of known) {
    if (state.has(start)) continue;
    const stack: { node: string; next: number }[] = [{ node: start, next: 0 }];
    state.set(start, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const out = edges(top.node);
      if (top.next >= out.length) {
        state.set(top.node, 'done');
        stack.pop();
        continue;
      }
      const next = out[top.next++]!;
      if (!known.has(next)) continue;
      const seen = state.get(next);
      if (seen === 'visiting') {
        onCycle(stack.slice(stack.findIndex((s) => s.node === next)).map((s) => s.node));
      } else if (seen === undefined) {
        state.set(next, 'visiting');
        stack.push({ node: next, next: 0 });
      }
    }
  }
}
