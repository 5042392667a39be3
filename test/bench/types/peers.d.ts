// Minimal typings for the untyped peers the bench compares against: only what the bench calls.
declare module 'notp' {
  export const hotp: {
    gen(key: string | Buffer, options?: { counter?: number }): string;
    verify(
      token: string,
      key: string | Buffer,
      options?: { counter?: number; window?: number },
    ): { delta: number } | null;
  };
  export const totp: {
    verify(token: string, key: string | Buffer, options?: { window?: number; time?: number }): { delta: number } | null;
    gen(key: string | Buffer, options?: { time?: number }): string;
  };
}

declare module 'speakeasy' {
  export const totp: {
    verify(options: { secret: string; encoding?: 'ascii' | 'hex' | 'base32'; token: string; window?: number }): boolean;
  };
}

declare module 'passport-totp' {
  import { Strategy as PassportStrategy } from 'passport-strategy';
  export class Strategy extends PassportStrategy {
    constructor(
      options: { codeField?: string; window?: number },
      setup: (user: unknown, done: (err: unknown, key?: string | Buffer, period?: number) => void) => void,
    );
  }
}

declare module 'autocannon' {
  interface Histogram {
    average: number;
    mean: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    total: number;
  }
  interface Result {
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    duration: number;
  }
  interface Options {
    url: string;
    connections?: number;
    duration?: number;
    amount?: number;
    pipelining?: number;
    headers?: Record<string, string>;
    method?: string;
    body?: string;
    expectBody?: string;
  }
  function autocannon(options: Options): Promise<Result>;
  export = autocannon;
}

declare module 'better-sqlite3' {
  class Database {
    constructor(file: string);
    prepare(sql: string): { get(...params: unknown[]): unknown };
    close(): void;
  }
  export = Database;
}
