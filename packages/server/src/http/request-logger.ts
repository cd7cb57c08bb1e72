import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LevelWithSilentOrString } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Parent = FastifyBaseLogger & { isLevelEnabled?(level: LevelWithSilentOrString): boolean };

/**
 * A request's logger (`request.log`) that becomes a real pino child only when something is
 * logged at a level the server logs: fastify makes one child per request, and at the usual
 * production level (nothing per request below `warn`) most are never written to. The lines
 * written are the same, bindings (the request id) included.
 */
class RequestLogger implements FastifyBaseLogger {
  private real: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: Parent & { isLevelEnabled(level: LevelWithSilentOrString): boolean },
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private logger(): FastifyBaseLogger {
    this.real ??= this.parent.child(this.bindings, this.options);
    return this.real;
  }

  private write(level: Level, args: unknown[]): void {
    if (this.parent.isLevelEnabled(level)) (this.logger()[level] as (...a: unknown[]) => void)(...args);
  }

  get level(): string {
    return this.logger().level;
  }
  set level(level: string) {
    this.logger().level = level;
  }
  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger().child(bindings, options);
  }
}

/**
 * Fastify's `childLoggerFactory`: request loggers made on first use (see `RequestLogger`).
 * A route with its own level or serializers gets its child at once, as fastify would make it.
 */
export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  const parent = logger as Parent;
  if (typeof parent.isLevelEnabled !== 'function' || options.level !== undefined || options.serializers)
    return logger.child(bindings, options);
  return new RequestLogger(
    parent as Parent & { isLevelEnabled: NonNullable<Parent['isLevelEnabled']> },
    bindings,
    options,
  );
}
