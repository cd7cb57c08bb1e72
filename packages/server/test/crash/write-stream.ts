/** A write the server acknowledged (answered 2xx): what must survive a crash. */
export interface AckedWrite {
  readonly key: string;
  readonly action: string;
  readonly version: number;
}

/**
 * Sends writes from `writers` concurrent loops until `stop()`: create a flag, then enable,
 * disable and roll it out, in turn. Records each acknowledged write; errors (the server
 * being killed mid-request) end a loop quietly.
 */
export function startWriteStream(options: { url: string; token: string; round: number; writers?: number }) {
  const acked: AckedWrite[] = [];
  let stopped = false;
  let sent = 0;
  const headers = { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' };
  const flags = `${options.url}/api/v1/projects/default/flags`;
  const write = async (method: string, url: string, body: unknown, key: string, action: string) => {
    sent++;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(url, init);
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${url} → ${response.status} ${text}`);
    // A 2xx is the acknowledgement: the change is committed.
    acked.push({ key, action, version: (JSON.parse(text) as { version: number }).version });
  };
  const loop = async (writer: number) => {
    for (let i = 0; !stopped; i++) {
      const key = `crash-r${options.round}-w${writer}-${i}`;
      const env = `${flags}/${key}/environments/production`;
      await write(
        'POST',
        flags,
        { key, type: 'boolean', description: `written by round ${options.round}` },
        key,
        'flag.create',
      );
      if (stopped) break;
      await write('POST', `${env}/enable`, undefined, key, 'flag.enable');
      if (stopped) break;
      await write(
        'PUT',
        `${env}/serve`,
        { rollout: { variants: { on: 10_000 * (i % 10), off: 100_000 - 10_000 * (i % 10) } } },
        key,
        'flag.rollout',
      );
      if (stopped) break;
      await write('POST', `${env}/disable`, undefined, key, 'flag.disable');
    }
  };
  /** Imports of 25 new flags at a time: big transactions, cut short by the kill too. */
  const importLoop = async () => {
    for (let i = 0; !stopped; i++) {
      const keys = Array.from({ length: 25 }, (_, j) => `crash-r${options.round}-import${i}-${j}`);
      const file = { flags: Object.fromEntries(keys.map((k) => [k, { type: 'boolean', enabled: true }])) };
      sent++;
      const response = await fetch(`${options.url}/api/v1/projects/default/import`, {
        method: 'POST',
        headers,
        body: JSON.stringify(file),
      });
      const text = await response.text();
      if (response.status >= 400) throw new Error(`import → ${response.status} ${text}`);
      const created = (JSON.parse(text) as { flags: { created: string[] } }).flags.created;
      for (const key of created) acked.push({ key, action: 'flag.create', version: 1 });
    }
  };
  const loops = [
    ...Array.from({ length: options.writers ?? 4 }, (_, w) => loop(w).catch((error: unknown) => error)),
    importLoop().catch((error: unknown) => error),
  ];
  return {
    acked,
    sent: () => sent,
    /** Resolves once `count` writes are acknowledged. */
    async waitFor(count: number): Promise<void> {
      while (acked.length < count) {
        if (stopped) return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    /** Stops sending and waits for the loops to end (their last requests fail once the server is gone). */
    async stop(): Promise<unknown[]> {
      stopped = true;
      return (await Promise.all(loops)).filter((e) => e !== undefined);
    },
  };
}
