/** A progress line on stderr: rewritten in place on a terminal, printed as plain lines elsewhere. */
export interface Progress {
  /** Shows `text`; off a terminal, only when `milestone` is set or a second has passed. */
  update(text: string, milestone?: boolean): void;
  /** Ends the line. */
  done(text?: string): void;
}

/** A progress line (silent when `enabled` is false). */
export function createProgress(options: {
  enabled: boolean;
  stream?: NodeJS.WriteStream;
  now?: () => number;
}): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const tty = stream.isTTY === true;
  let shown = false;
  let last = Number.NEGATIVE_INFINITY;
  let lastText = '';
  return {
    update(text, milestone = false) {
      if (!options.enabled || text === lastText) return;
      if (tty) {
        stream.write(`\r\u001b[2K${text}`);
        shown = true;
      } else if (milestone || now() - last >= 1000) {
        stream.write(`${text}\n`);
        last = now();
      }
      lastText = text;
    },
    done(text) {
      if (!options.enabled) return;
      if (tty && shown) stream.write(text === undefined ? '\n' : `\r\u001b[2K${text}\n`);
      else if (text !== undefined) stream.write(`${text}\n`);
      shown = false;
    },
  };
}

/** `1.5 MB` */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
