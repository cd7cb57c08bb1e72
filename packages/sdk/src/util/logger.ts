/** Where the SDK writes what it has to say. Any object with these four methods (console, pino, …) fits. */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

/** The default: warnings and errors to the console, prefixed; debug and info are dropped. */
export const consoleLogger: Logger = {
  debug() {},
  info() {},
  warn: (message, ...args) => console.warn(`[vexil] ${message}`, ...args),
  error: (message, ...args) => console.error(`[vexil] ${message}`, ...args),
};

/** A logger that says nothing. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
