/**
 * Results that survive between runs: one JSON file per part (`<part>.json`), so a run of some
 * parts (the opt-in scale part alone, say) updates their sections of the page and the other
 * sections keep the figures of the run they last came from.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_PARTS, type BenchPart } from './config';
import type { MachineInfo } from './machine';
import type { BenchResults, PartSource } from './results';

/** The result fields each part fills in. */
const PART_FIELDS: Record<BenchPart, ReadonlyArray<keyof BenchResults>> = {
  micro: ['micro'],
  backup: ['backup'],
  guard: ['guard', 'guardWithPolicy'],
  verify: ['verify'],
  scale: ['scale'],
};

/** One part's results as stored: when and how long it ran, on what, and its figures. */
export interface StoredPart {
  part: BenchPart;
  source: PartSource;
  machine: MachineInfo;
  /** Only this part's fields of {@link BenchResults}. */
  results: Partial<BenchResults>;
}

/**
 * Splits one run's results into the parts it measured, each with its own date, duration and runs.
 */
export function splitIntoParts(results: BenchResults): StoredPart[] {
  const stored: StoredPart[] = [];
  for (const part of BENCH_PARTS) {
    const source = results.sources?.[part];
    if (!source) continue;
    const fields: Partial<BenchResults> = {};
    for (const field of PART_FIELDS[part]) {
      const value = results[field];
      if (value !== undefined) Object.assign(fields, { [field]: value });
    }
    if (Object.keys(fields).length) stored.push({ part, source, machine: results.machine, results: fields });
  }
  return stored;
}

/**
 * Merges stored parts into the results the report renders: for each part the latest stored one
 * (by the start of its run). The machine is the latest part's, with the database versions of the
 * parts that connected (part 4 first, then the scale part).
 */
export function mergeParts(parts: readonly StoredPart[]): BenchResults | undefined {
  const latest = new Map<BenchPart, StoredPart>();
  for (const stored of parts) {
    const current = latest.get(stored.part);
    if (!current || current.source.startedAt < stored.source.startedAt) latest.set(stored.part, stored);
  }
  const chosen = BENCH_PARTS.flatMap((part) => latest.get(part) ?? []);
  if (!chosen.length) return undefined;
  const newest = chosen.reduce((a, b) => (a.source.startedAt >= b.source.startedAt ? a : b));
  const machine: MachineInfo = { ...newest.machine };
  for (const key of ['mariadb', 'postgres', 'sqlite'] as const) {
    const from = [latest.get('verify'), latest.get('scale')].find((p) => p?.machine[key]);
    if (from) machine[key] = from.machine[key];
    else delete machine[key];
  }
  const merged: BenchResults = {
    machine,
    runs: Math.max(...chosen.map((p) => p.source.runs)),
    durationSeconds: chosen.reduce((sum, p) => sum + p.source.durationSeconds, 0),
    publishable: chosen.every((p) => p.source.publishable),
    sources: {},
  };
  for (const stored of chosen) {
    Object.assign(merged, stored.results);
    (merged.sources as Record<string, PartSource>)[stored.part] = stored.source;
  }
  return merged;
}

/** Writes each part of `results` to `<dir>/<part>.json`, replacing that part's earlier file. */
export function writeParts(dir: string, results: BenchResults): string[] {
  mkdirSync(dir, { recursive: true });
  return splitIntoParts(results).map((stored) => {
    const file = path.join(dir, `${stored.part}.json`);
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`);
    return file;
  });
}

/** Reads the stored parts of `dir` (none when it does not exist). */
export function readParts(dir: string): StoredPart[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => BENCH_PARTS.some((part) => name === `${part}.json`))
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as StoredPart);
}
