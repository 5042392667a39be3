/**
 * An in-memory {@link PasswordThrottleStore} for development, tests and single-process hosts. Every
 * primitive runs without an await, so it is atomic within the process; counts are not shared
 * between processes and vanish on restart.
 */
import type {
  AddressAttemptCount,
  CountAddressAttemptInput,
  PasswordAccountState,
  PasswordThrottleStore,
  RecordPasswordFailureInput,
  ResetPasswordFailuresInput,
} from './password-throttle-store';

interface AddressWindow {
  startedAt: number;
  count: number;
}

/**
 * One process's password throttle counts. Use `TypeOrmPasswordThrottleStore` of
 * `@secondfactor/typeorm` when several instances serve the same accounts.
 *
 * @example
 * ```ts
 * const throttle = new PasswordThrottle(new MemoryPasswordThrottleStore());
 * ```
 */
export class MemoryPasswordThrottleStore implements PasswordThrottleStore {
  private readonly accounts = new Map<string, PasswordAccountState>();
  private readonly windows = new Map<string, AddressWindow>();

  /** See {@link PasswordThrottleStore.countAddressAttempt}. */
  async countAddressAttempt(input: CountAddressAttemptInput): Promise<AddressAttemptCount> {
    const now = input.now.getTime();
    const windowMs = input.windowSeconds * 1000;
    const window = this.windows.get(input.key);
    if (!window || window.startedAt <= now - windowMs) {
      this.windows.set(input.key, { startedAt: now, count: 1 });
      return { counted: true };
    }
    if (window.count >= input.limit) return { counted: false, windowEndsAt: new Date(window.startedAt + windowMs) };
    window.count++;
    return { counted: true };
  }

  /** See {@link PasswordThrottleStore.readAccount}. */
  async readAccount(key: string): Promise<PasswordAccountState | null> {
    const state = this.accounts.get(key);
    return state ? { ...state } : null;
  }

  /** See {@link PasswordThrottleStore.recordFailure}. */
  async recordFailure(input: RecordPasswordFailureInput): Promise<PasswordAccountState> {
    const failures = (this.accounts.get(input.key)?.failures ?? 0) + 1;
    const state = {
      failures,
      nextAttemptAt: new Date(input.now.getTime() + input.backoffSeconds(failures) * 1000),
    };
    this.accounts.set(input.key, state);
    return { ...state };
  }

  /** See {@link PasswordThrottleStore.resetAfterSuccess}. */
  async resetAfterSuccess(input: ResetPasswordFailuresInput): Promise<boolean> {
    const state = this.accounts.get(input.key);
    if (!state) return true;
    if (state.failures === input.failuresRead) this.accounts.delete(input.key);
    return !this.accounts.has(input.key);
  }
}
