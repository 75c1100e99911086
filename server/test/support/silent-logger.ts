import type { FastifyBaseLogger } from 'fastify';

/** A logger that drops everything, for parts built outside the app (whose own logger is configured). */
export function silentLogger(): FastifyBaseLogger {
  const drop = () => {};
  const logger: FastifyBaseLogger = {
    level: 'silent',
    fatal: drop,
    error: drop,
    warn: drop,
    info: drop,
    debug: drop,
    trace: drop,
    silent: drop,
    child: () => logger,
  };
  return logger;
}
