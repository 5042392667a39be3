/**
 * Part 5's load phase: the second step kept busy for a fixed time, like `npm run test:load`, so
 * the site's retained heap can be read before and after a sustained load.
 */
import type { SiteChild } from './site-child';
import { measureSlice, type Endpoint, type UserPicker } from './verify-http';

/** Verifications per slice of the load phase: small enough to stop close to the deadline. */
const LOAD_SLICE = 500;

/** What the load phase served. */
export interface LoadPhaseOutcome {
  seconds: number;
  verifies: number;
}

/**
 * Sends slices of fresh, valid codes to `endpoint` at `concurrency` clients until `seconds` have
 * passed (a slice that started before the deadline finishes).
 */
export async function runLoadPhase(spec: {
  site: SiteChild;
  token: string;
  picker: UserPicker;
  endpoint: Endpoint;
  concurrency: number;
  seconds: number;
}): Promise<LoadPhaseOutcome> {
  const started = Date.now();
  let verifies = 0;
  while (Date.now() - started < spec.seconds * 1000) {
    const slice = await measureSlice({ ...spec, count: Math.max(LOAD_SLICE, spec.concurrency) });
    verifies += slice.successes;
  }
  return { seconds: (Date.now() - started) / 1000, verifies };
}
