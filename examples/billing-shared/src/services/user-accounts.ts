/** The site's users: registration, password checks, sub-accounts. The host owns this table, not secondfactor. */
import { randomBytes } from 'node:crypto';
import { IsNull, QueryFailedError, type DataSource, type Repository } from 'typeorm';
import { User } from '../db/entities/user.entity';
import type { NewAccountInput } from './account-input';
import { hashPassword, verifyPassword, type PasswordHashParams } from './password-hasher';
import { SiteError, SiteErrorCode } from './site-error';

/** What the site shows about a user; never the password hash. */
export interface PublicUser {
  id: number;
  name: string;
  email: string;
  /** The owning account's id for a sub-account, else null. */
  parentId: number | null;
  isSubAccount: boolean;
}

/**
 * Strips a user row down to what views and JSON answers may show.
 */
export function toPublicUser(user: User): PublicUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    parentId: user.parentId,
    isSubAccount: user.parentId !== null,
  };
}

/** How many users' owner-or-sub-account answers {@link UserAccounts.isSubAccount} keeps. */
const MAX_KEPT_ACCOUNT_KINDS = 10_000;

/**
 * Registration, login checks and sub-accounts over the `users` table.
 */
export class UserAccounts {
  private readonly users: Repository<User>;
  private dummyHash: Promise<string> | undefined;
  /**
   * Owner or sub-account, by user id. A user's parent is set at creation and never changes in this
   * site, so the answer can be kept: the 2FA guard asks it on every request (S9, S36). Bounded;
   * unknown ids are never kept (the id may be created later).
   */
  private readonly subAccountById = new Map<string, boolean>();

  constructor(
    dataSource: DataSource,
    private readonly hashParams?: PasswordHashParams,
  ) {
    this.users = dataSource.getRepository(User);
  }

  /** The user with this id, or null. Accepts the string ids sessions and the 2FA service use. */
  async findById(id: number | string): Promise<User | null> {
    const numeric = typeof id === 'number' ? id : /^\d{1,15}$/.test(id) ? Number(id) : NaN;
    if (!Number.isSafeInteger(numeric)) return null;
    return this.users.findOneBy({ id: numeric });
  }

  /** The user with this (normalised) email, or null. */
  async findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: email.trim().toLowerCase() });
  }

  /**
   * The user whose email and password match, or null. An unknown email costs one scrypt run too,
   * so the answer time does not reveal whether the account exists (S14).
   */
  async checkCredentials(email: string, password: string): Promise<User | null> {
    const user = await this.findByEmail(email);
    if (!user) {
      await verifyPassword(password, await this.dummyPasswordHash());
      return null;
    }
    return (await verifyPassword(password, user.passwordHash)) ? user : null;
  }

  /** Whether `password` is the user's current password (for disable and regenerate, S8). */
  async verifyPasswordById(userId: string, password: string): Promise<boolean> {
    const user = await this.findById(userId);
    if (!user) {
      await verifyPassword(password, await this.dummyPasswordHash());
      return false;
    }
    return verifyPassword(password, user.passwordHash);
  }

  /**
   * Gives the user a new random security stamp and returns it (S31): every session that signed in
   * with the old one is signed out at its next request. The 2FA service calls it on every 2FA
   * change; a password change calls it too.
   */
  async rotateSecurityStamp(userId: number | string): Promise<string> {
    const user = await this.findById(userId);
    if (!user) throw new SiteError(404, SiteErrorCode.NotFound, 'No such user.');
    const securityStamp = randomBytes(24).toString('base64url');
    await this.users.update({ id: user.id }, { securityStamp });
    return securityStamp;
  }

  /** Stores a new password for the user (already checked and validated by the caller). */
  async setPassword(userId: number, password: string): Promise<void> {
    const passwordHash = await hashPassword(password, this.hashParams);
    await this.users.update({ id: userId }, { passwordHash });
  }

  /** Creates a primary account. 409 `EMAIL_TAKEN` if the email is in use. */
  async register(input: NewAccountInput): Promise<User> {
    return this.insert(input, null);
  }

  /** Creates a sub-account under a primary account. Only primary accounts may have sub-accounts. */
  async createSubAccount(owner: User, input: NewAccountInput): Promise<User> {
    if (owner.parentId !== null)
      throw new SiteError(403, SiteErrorCode.Forbidden, 'Only the account owner can manage users.');
    return this.insert(input, owner.id);
  }

  /** The sub-accounts of a primary account, oldest first. */
  async listSubAccounts(owner: User): Promise<User[]> {
    return this.users.find({ where: { parentId: owner.id }, order: { id: 'ASC' } });
  }

  /** Every primary account (the owners), oldest first, for the 2FA report and reminders (S36). */
  async listOwners(): Promise<User[]> {
    return this.users.find({ where: { parentId: IsNull() }, order: { id: 'ASC' } });
  }

  /** Whether the user is a sub-account (they may not use 2FA, as on a typical billing host: S9). Unknown users are not eligible either. */
  async isSubAccount(userId: string): Promise<boolean> {
    const known = this.subAccountById.get(userId);
    if (known !== undefined) return known;
    const user = await this.findById(userId);
    if (!user) return true;
    if (this.subAccountById.size >= MAX_KEPT_ACCOUNT_KINDS) this.subAccountById.clear();
    this.subAccountById.set(userId, user.parentId !== null);
    return user.parentId !== null;
  }

  /** The primary account whose services and invoices this user sees. */
  accountIdOf(user: User): number {
    return user.parentId ?? user.id;
  }

  private async insert(input: NewAccountInput, parentId: number | null): Promise<User> {
    const passwordHash = await hashPassword(input.password, this.hashParams);
    try {
      const securityStamp = randomBytes(24).toString('base64url');
      return await this.users.save(
        this.users.create({ name: input.name, email: input.email, passwordHash, parentId, securityStamp }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new SiteError(409, SiteErrorCode.EmailTaken, 'An account with this email address already exists.', {
          email: 'This email address is already registered.',
        });
      }
      throw error;
    }
  }

  private dummyPasswordHash(): Promise<string> {
    this.dummyHash ??= hashPassword('not-a-real-password', this.hashParams);
    return this.dummyHash;
  }
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = (error as QueryFailedError & { driverError?: { code?: string } }).driverError;
  return (
    driverError?.code === 'ER_DUP_ENTRY' ||
    driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    driverError?.code === '23505' || // PostgreSQL unique_violation
    /UNIQUE constraint failed/.test(error.message)
  );
}
