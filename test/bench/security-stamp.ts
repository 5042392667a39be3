/**
 * `npm run bench:stamp`: the cost of the session-binding check (S31) per guarded request, alone
 * (part 3 of `npm run bench` measures it too). STAMP_BENCH_CALLS and STAMP_BENCH_ROUNDS set the size.
 */
import { measureStampCheck } from './lib/stamp-check';

async function main(): Promise<void> {
  const calls = Number(process.env.STAMP_BENCH_CALLS ?? 100_000);
  const rounds = Number(process.env.STAMP_BENCH_ROUNDS ?? 9);
  const result = await measureStampCheck(calls, rounds);
  console.log(`guard without stamp: ${result.withoutNs.toFixed(0)} ns/request (median of ${rounds} × ${calls})`);
  console.log(`guard with stamp:    ${result.withNs.toFixed(0)} ns/request`);
  console.log(
    `ratio: ${result.ratio.toFixed(3)} (added ${(result.withNs - result.withoutNs).toFixed(0)} ns, no query)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
