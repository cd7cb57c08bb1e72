/** What commands print. Results go to stdout; progress and errors go to stderr. */

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** Pretty JSON, for `--json`. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain table: a header row, then rows, columns padded to their widest cell. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  printLine(rows.length === 0 ? '(none)' : formatTable(header, rows));
}

/** A weight in thousandths of a percent, as a percentage (`25%`, `33.333%`). */
export function percent(weight: number): string {
  return `${Number((weight / 1000).toFixed(3))}%`;
}
