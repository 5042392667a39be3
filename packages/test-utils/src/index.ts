/**
 * @secondfactor/test-utils (private): the store conformance suite every `TwoFactorStore` runs, the
 * adapter suite every web adapter runs, a fake clock, and the RFC 4226 / RFC 6238 test vectors.
 */
export {
  ADA,
  BOB,
  BROWSER_ACCEPT,
  capture,
  CHALLENGE,
  Client,
  createWorld,
  formWithButton,
  forms,
  liveErrors,
  MANAGEMENT,
  runAdapterSuite,
  SUB,
  type AdapterHost,
  type AdapterHostOptions,
  type CreateHost,
  type HostUser,
  type SessionUser,
  type World,
} from './adapter-suite';
export { DEFAULT_FAKE_CLOCK_START, FakeClock, type ClockAdvance } from './fake-clock';
export {
  runStoreConformanceSuite,
  type ConformanceStoreHandle,
  type StoreConformanceOptions,
} from './store-conformance';
export {
  loadHotpVectors,
  loadTotpVectors,
  VECTOR_FIXTURES_DIR,
  type HotpVector,
  type HotpVectors,
  type StepBoundaryVector,
  type TotpVector,
  type TotpVectors,
} from './vectors';
