/**
 * Part 4, the Express site: the second step of examples/express-site beside the Koa site's, on
 * the same database and the same users, interleaved A B B A, so the Express adapter's cost shows
 * as a ratio. The Express site runs in its own process, like the Koa one.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { ExpressComparisonRow } from '../lib/results';
import { SiteChild } from '../lib/site-child';
import { median } from '../lib/stats';
import {
  combine,
  measureSlice,
  type Endpoint,
  type Measurement,
  type Slice,
  type UserPicker,
} from '../lib/verify-http';
import { EXAMPLE } from '../site/example';

const SECOND_STEP: Endpoint = { label: 'second step', path: EXAMPLE.challenge };

/** What the comparison runs on: part 4's Koa site, database and users. */
export interface ExpressComparisonOptions {
  koaSite: SiteChild;
  /** The environment the Koa site was started with (database, keys, bench token, password hash). */
  siteEnv: Record<string, string>;
  dataDir: string;
  token: string;
  picker: UserPicker;
  runs: number;
  /** Verifications per contender and run at each concurrency (part 4's calibrated counts). */
  counts: Map<number, number>;
  serverCpu?: () => number;
  log: (line: string) => void;
  label: string;
}

function figures(runs: Measurement[]): ExpressComparisonRow['koa'] {
  return {
    verifiesPerSecond: median(runs.map((m) => m.verifiesPerSecond)),
    p50Ms: median(runs.map((m) => m.p50Ms)),
    p99Ms: median(runs.map((m) => m.p99Ms)),
    siteCpuMs: median(runs.map((m) => m.siteCpuMs)),
  };
}

/**
 * Starts the Express site on part 4's database, measures it against the Koa site at each
 * concurrency, and stops it.
 */
export async function compareExpressSite(options: ExpressComparisonOptions): Promise<ExpressComparisonRow[]> {
  const express = await SiteChild.start({
    ...options.siteEnv,
    BENCH_SITE_MODE: 'verify-express',
    DATA_DIR: path.join(options.dataDir, 'express'),
    SESSION_KEYS: randomBytes(32).toString('base64'),
  });
  try {
    const sites = { koa: options.koaSite, express } as const;
    const slice = (which: keyof typeof sites, concurrency: number, count: number): Promise<Slice> =>
      measureSlice({
        site: sites[which],
        token: options.token,
        picker: options.picker,
        endpoint: SECOND_STEP,
        concurrency,
        count,
        serverCpu: options.serverCpu,
      });
    // Warm-up of the fresh process at each concurrency, discarded, as part 4's calibration warmed the Koa site.
    for (const [concurrency, count] of options.counts)
      await slice('express', concurrency, Math.max(1, Math.round(count / 2)));
    const rows: ExpressComparisonRow[] = [];
    const perRun = new Map<number, { koa: Measurement[]; express: Measurement[] }>();
    for (let run = 0; run < options.runs; run++) {
      const parts: string[] = [];
      for (const [concurrency, count] of options.counts) {
        const half = Math.max(1, Math.round(count / 2));
        const order: Array<keyof typeof sites> =
          (run + concurrency) % 2 === 0 ? ['koa', 'express'] : ['express', 'koa'];
        const slices: Record<keyof typeof sites, Slice[]> = { koa: [], express: [] };
        for (const which of [...order, ...[...order].reverse()])
          slices[which].push(await slice(which, concurrency, half));
        const entry = perRun.get(concurrency) ?? { koa: [], express: [] };
        entry.koa.push(combine(slices.koa));
        entry.express.push(combine(slices.express));
        perRun.set(concurrency, entry);
        parts.push(
          `${concurrency}: ${Math.round(entry.koa[run].verifiesPerSecond)} vs ${Math.round(entry.express[run].verifiesPerSecond)}/s`,
        );
      }
      options.log(`verify ${options.label} Koa vs Express run ${run + 1}/${options.runs}: ${parts.join(', ')}`);
    }
    for (const [concurrency, { koa, express: ex }] of perRun)
      rows.push({
        concurrency,
        koa: figures(koa),
        express: figures(ex),
        ratio: median(ex.map((m, i) => m.verifiesPerSecond / koa[i].verifiesPerSecond)),
      });
    return rows;
  } finally {
    await express.stop();
  }
}
