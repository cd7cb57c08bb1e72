import { expect } from 'vitest';

/** Counts per route, and the first few bad answers, for the report and the assertions. */
export class FuzzReport {
  readonly routes = new Map<
    string,
    { cases: number; ok: number; client: number; codes: Map<string, number> }
  >();
  readonly failures: string[] = [];
  total = 0;

  /** Checks one answer: never 5xx; a 4xx has the error body, naming fields when validation failed. */
  record(route: string, kind: string, payload: string, status: number, text: string): void {
    this.total++;
    const entry = this.routes.get(route) ?? { cases: 0, ok: 0, client: 0, codes: new Map() };
    this.routes.set(route, entry);
    entry.cases++;
    if (status >= 200 && status < 400) entry.ok++;
    else if (status < 500) entry.client++;
    const why = problem(status, text, (code) => entry.codes.set(code, (entry.codes.get(code) ?? 0) + 1));
    if (why !== undefined && this.failures.length < 20) {
      this.failures.push(
        `${route} [${kind}] ${why}: ${payload.slice(0, 300)} → ${status} ${text.slice(0, 300)}`,
      );
    }
  }

  /** Checks only the status (answers Node's HTTP parser gives itself have no JSON body). */
  recordStatus(route: string, kind: string, status: number): void {
    this.total++;
    const entry = this.routes.get(route) ?? { cases: 0, ok: 0, client: 0, codes: new Map() };
    this.routes.set(route, entry);
    entry.cases++;
    if (status >= 500 || status === 0) {
      if (this.failures.length < 20) this.failures.push(`${route} [${kind}] → ${status}`);
    } else if (status < 400) entry.ok++;
    else {
      entry.client++;
      entry.codes.set(`HTTP ${status}`, (entry.codes.get(`HTTP ${status}`) ?? 0) + 1);
    }
  }

  /** Fails the test with the first bad answers, if any. */
  assertClean(): void {
    expect(this.failures, this.failures.join('\n\n')).toEqual([]);
  }

  /** A table: route, cases, 2xx, 4xx, the commonest error codes. */
  table(title: string, ms: number): string {
    const rows = [...this.routes].map(([route, e]) => {
      const codes = [...e.codes]
        .sort((a, b) => b[1] - a[1])
        .map(([c, n]) => `${c} ${n}`)
        .join(', ');
      return `${String(e.cases).padStart(6)} ${String(e.ok).padStart(5)} ${String(e.client).padStart(6)}  ${route}  (${codes})`;
    });
    return [
      `${title}: ${this.total} cases in ${(ms / 1000).toFixed(1)} s`,
      ' cases   2xx    4xx  route (error codes)',
      ...rows,
    ].join('\n');
  }
}

/** What is wrong with an answer, if anything. */
function problem(status: number, text: string, count: (code: string) => void): string | undefined {
  if (status >= 500) return 'server error';
  if (status < 400) return undefined;
  let body: { error?: { code?: unknown; message?: unknown; issues?: unknown } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return 'error body is not JSON';
  }
  const error = body.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message === '') {
    return 'error body lacks code or message';
  }
  count(error.code);
  if (!Array.isArray(error.issues)) return 'error body lacks issues';
  if (error.code !== 'VALIDATION_FAILED') return undefined;
  if (error.issues.length === 0) return 'validation failure without issues';
  for (const issue of error.issues as { path?: unknown; message?: unknown }[]) {
    if (typeof issue.path !== 'string' || typeof issue.message !== 'string' || issue.message === '') {
      return 'an issue without a path or message';
    }
  }
  return undefined;
}
