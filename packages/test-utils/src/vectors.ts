/**
 * The RFC 4226 Appendix D and RFC 6238 Appendix B test vectors, shipped as JSON fixtures inside
 * this package so that tests never depend on files outside the repository.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TotpAlgorithm } from '@secondfactor/core';

/** Where the fixtures live. `__dirname` is `src/` under tsx and `dist/` when built; both sit beside `fixtures/`. */
export const VECTOR_FIXTURES_DIR = path.join(__dirname, '..', 'fixtures');

/** One RFC 4226 Appendix D row. */
export interface HotpVector {
  counter: number;
  /** The full HMAC-SHA1 value, hex. */
  hmacHex: string;
  /** The 31-bit value after dynamic truncation. */
  truncatedDecimal: number;
  /** The 6-digit HOTP value as a string. */
  hotp: string;
}

/** The RFC 4226 Appendix D vectors. */
export interface HotpVectors {
  source: string;
  /** The 20-byte ASCII secret "12345678901234567890". */
  secret: Buffer;
  secretBase32: string;
  algorithm: 'SHA1';
  digits: number;
  vectors: HotpVector[];
}

/** One RFC 6238 Appendix B row. */
export interface TotpVector {
  timeSeconds: number;
  /** The 64-bit step counter as a number (exact: every RFC step is below 2^53). */
  step: number;
  /** The step as the RFC prints it, 16 hex digits. */
  stepHex: string;
  algorithm: TotpAlgorithm;
  totp8: string;
  totp6: string;
}

/** A moment and the SHA1 code expected at it, around the 30 s step boundary. */
export interface StepBoundaryVector {
  timeSeconds: number;
  step: number;
  totp6: string;
}

/** The RFC 6238 Appendix B vectors with the per-algorithm seeds of errata 2866. */
export interface TotpVectors {
  source: string;
  periodSeconds: number;
  t0: number;
  /** The RFC 6238 secret each algorithm uses: 20, 32 and 64 ASCII bytes. */
  seeds: Record<TotpAlgorithm, Buffer>;
  vectors: TotpVector[];
  /**
   * The wrong 8-digit values an implementation produces at t = 59 when it reuses the 20-byte SHA1
   * seed for SHA256 and SHA512: correct code must never produce them with the proper seeds.
   */
  pitfalls: { sha256With20ByteSeedAt59: string; sha512With20ByteSeedAt59: string };
  stepBoundaries: StepBoundaryVector[];
}

function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(VECTOR_FIXTURES_DIR, name), 'utf8'));
}

/**
 * Loads the RFC 4226 Appendix D HOTP vectors.
 */
export function loadHotpVectors(): HotpVectors {
  const raw = readFixture('rfc4226-hotp.json') as {
    source: string;
    secretHex: string;
    secretBase32: string;
    algorithm: 'SHA1';
    digits: number;
    vectors: HotpVector[];
  };
  return {
    source: raw.source,
    secret: Buffer.from(raw.secretHex, 'hex'),
    secretBase32: raw.secretBase32,
    algorithm: raw.algorithm,
    digits: raw.digits,
    vectors: raw.vectors.map((v) => ({ ...v })),
  };
}

/**
 * Loads the RFC 6238 Appendix B TOTP vectors with their per-algorithm seeds.
 */
export function loadTotpVectors(): TotpVectors {
  const raw = readFixture('rfc6238-totp.json') as {
    source: string;
    periodSeconds: number;
    t0: number;
    seeds: Record<TotpAlgorithm, { hex: string }>;
    vectors: Array<Omit<TotpVector, 'step'>>;
    pitfalls: { SHA256_with_20_byte_seed_t59: string; SHA512_with_20_byte_seed_t59: string };
    stepBoundaries: StepBoundaryVector[];
  };
  return {
    source: raw.source,
    periodSeconds: raw.periodSeconds,
    t0: raw.t0,
    seeds: {
      SHA1: Buffer.from(raw.seeds.SHA1.hex, 'hex'),
      SHA256: Buffer.from(raw.seeds.SHA256.hex, 'hex'),
      SHA512: Buffer.from(raw.seeds.SHA512.hex, 'hex'),
    },
    vectors: raw.vectors.map((v) => ({ ...v, step: Number.parseInt(v.stepHex, 16) })),
    pitfalls: {
      sha256With20ByteSeedAt59: raw.pitfalls.SHA256_with_20_byte_seed_t59,
      sha512With20ByteSeedAt59: raw.pitfalls.SHA512_with_20_byte_seed_t59,
    },
    stepBoundaries: raw.stepBoundaries.map((v) => ({ ...v })),
  };
}
