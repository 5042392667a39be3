/** The common face of the Express and Koa test sites, so one scenario table runs against both. */
import type { RequestListener } from 'node:http';
import type { Fixture } from './fixture';

export interface AppUnderTest {
  framework: 'express' | 'koa';
  /** What supertest drives. */
  handler: RequestListener;
  /** Whether the session store still holds this session id. */
  sessionExists(id: string): Promise<boolean>;
}

export type AppFactory = (fixture: Fixture) => AppUnderTest;
