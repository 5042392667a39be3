/** Runs a strategy through a real Passport instance, with a custom callback, on a plain request object. */
import { Passport } from 'passport';
import type { Strategy } from 'passport-strategy';

export interface StrategyRun {
  err: unknown;
  user: unknown;
  info: unknown;
  status: unknown;
  /** Headers the strategy set on `req.res`. */
  headers: Record<string, string>;
}

export interface PlainRequest {
  body?: unknown;
  session?: object | null;
  ip?: string;
  headers?: Record<string, string>;
}

export function runStrategy(strategy: Strategy & { name?: string }, req: PlainRequest): Promise<StrategyRun> {
  const passport = new Passport();
  passport.use(strategy);
  const headers: Record<string, string> = {};
  const request = {
    headers: {},
    ...req,
    res: { headersSent: false, setHeader: (name: string, value: string) => (headers[name] = value) },
  };
  return new Promise((resolve, reject) => {
    const middleware = passport.authenticate(
      strategy.name ?? 'totp',
      (err: unknown, user: unknown, info: unknown, status: unknown) => {
        resolve({ err, user, info, status, headers });
      },
    );
    middleware(request, request.res, (err?: unknown) =>
      reject(err ?? new Error('the strategy called pass() or next()')),
    );
  });
}
