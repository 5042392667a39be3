/** Demo data for a fresh install: an owner, a sub-account, their services and invoices. */
import type { DataSource } from 'typeorm';
import type { UserAccounts } from '../services/user-accounts';
import { verifyPassword } from '../services/password-hasher';
import { SiteError, SiteErrorCode } from '../services/site-error';
import { BillingService } from './entities/billing-service.entity';
import { Invoice } from './entities/invoice.entity';
import { User } from './entities/user.entity';

/** A demo login to print at start and show on the login page. */
export interface DemoAccount {
  label: string;
  name: string;
  email: string;
  password: string;
}

/**
 * The demo accounts: an account owner (can enable 2FA) and a sub-account (cannot).
 */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = Object.freeze([
  { label: 'Account owner', name: 'Ada Lovelace', email: 'ada@example.com', password: 'lovelace-demo' },
  { label: 'Sub-account', name: 'Grace Hopper', email: 'grace@example.com', password: 'hopper-demo' },
]);

function isoDate(daysFromToday: number, today: Date): string {
  const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + daysFromToday));
  return date.toISOString().slice(0, 10);
}

/**
 * Seeds the demo accounts and their billing data when the users table is empty. Returns whether it seeded.
 */
export async function seedDemoData(
  dataSource: DataSource,
  accounts: UserAccounts,
  today: Date = new Date(),
): Promise<boolean> {
  if ((await dataSource.getRepository(User).count()) > 0) return false;
  const [ownerInput, subInput] = DEMO_ACCOUNTS;
  let owner: User;
  try {
    owner = await accounts.register({ name: ownerInput.name, email: ownerInput.email, password: ownerInput.password });
  } catch (error) {
    // Another instance starting at the same moment seeded first.
    if (error instanceof SiteError && error.code === SiteErrorCode.EmailTaken) return false;
    throw error;
  }
  await accounts.createSubAccount(owner, { name: subInput.name, email: subInput.email, password: subInput.password });
  const domain = 'lovelace-analytics.com';
  await dataSource.getRepository(BillingService).save([
    {
      accountId: owner.id,
      productName: 'Business Web Hosting',
      domain,
      status: 'Active',
      billingCycle: 'Monthly',
      amountCents: 1499,
      nextDueDate: isoDate(12, today),
    },
    {
      accountId: owner.id,
      productName: 'Cloud VPS 4 GB',
      domain: `app.${domain}`,
      status: 'Active',
      billingCycle: 'Monthly',
      amountCents: 2400,
      nextDueDate: isoDate(19, today),
    },
    {
      accountId: owner.id,
      productName: 'Domain Registration',
      domain,
      status: 'Active',
      billingCycle: 'Annually',
      amountCents: 1299,
      nextDueDate: isoDate(143, today),
    },
    {
      accountId: owner.id,
      productName: 'Professional Email (5 mailboxes)',
      domain,
      status: 'Active',
      billingCycle: 'Monthly',
      amountCents: 900,
      nextDueDate: isoDate(12, today),
    },
    {
      accountId: owner.id,
      productName: 'SSL Certificate',
      domain: `shop.${domain}`,
      status: 'Cancelled',
      billingCycle: 'Annually',
      amountCents: 4900,
      nextDueDate: isoDate(-40, today),
    },
  ]);
  await dataSource.getRepository(Invoice).save([
    {
      accountId: owner.id,
      number: 'INV-10428',
      issuedOn: isoDate(-2, today),
      dueOn: isoDate(12, today),
      totalCents: 2399,
      status: 'Unpaid',
    },
    {
      accountId: owner.id,
      number: 'INV-10377',
      issuedOn: isoDate(-11, today),
      dueOn: isoDate(3, today),
      totalCents: 2400,
      status: 'Unpaid',
    },
    {
      accountId: owner.id,
      number: 'INV-10291',
      issuedOn: isoDate(-33, today),
      dueOn: isoDate(-19, today),
      totalCents: 2399,
      status: 'Paid',
    },
    {
      accountId: owner.id,
      number: 'INV-10212',
      issuedOn: isoDate(-41, today),
      dueOn: isoDate(-27, today),
      totalCents: 2400,
      status: 'Paid',
    },
    {
      accountId: owner.id,
      number: 'INV-10187',
      issuedOn: isoDate(-63, today),
      dueOn: isoDate(-49, today),
      totalCents: 3698,
      status: 'Paid',
    },
    {
      accountId: owner.id,
      number: 'INV-10054',
      issuedOn: isoDate(-222, today),
      dueOn: isoDate(-208, today),
      totalCents: 1299,
      status: 'Paid',
    },
  ]);
  return true;
}

/**
 * The demo accounts that still exist with their demo password (so the start-up banner never prints a
 * stale password).
 */
export async function activeDemoAccounts(accounts: UserAccounts): Promise<DemoAccount[]> {
  const active: DemoAccount[] = [];
  for (const demo of DEMO_ACCOUNTS) {
    const user = await accounts.findByEmail(demo.email);
    if (user && (await verifyPassword(demo.password, user.passwordHash))) active.push(demo);
  }
  return active;
}
