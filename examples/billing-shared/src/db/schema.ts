/** The sites' own entities and migrations, listed once. */
import { BillingService } from './entities/billing-service.entity';
import { Invoice } from './entities/invoice.entity';
import { NotificationThrottleRecord } from './entities/notification-throttle.entity';
import { PaymentMethod } from './entities/payment-method.entity';
import { StepUpPasswordAttempt } from './entities/step-up-password-attempt.entity';
import { User } from './entities/user.entity';
import { CreateBillingSiteTables1735689600000 } from './migrations/1735689600000-create-billing-site-tables';
import { CreateNotificationThrottles1767225600000 } from './migrations/1767225600000-create-notification-throttles';
import { DropSiteSessions1772323200000 } from './migrations/1772323200000-drop-site-sessions';
import { AddAccountProtection1780000000000 } from './migrations/1780000000000-add-account-protection';
import { CreatePaymentMethods1782000000000 } from './migrations/1782000000000-create-payment-methods';
import { DropLoginThrottles1784000000000 } from './migrations/1784000000000-drop-login-throttles';

/**
 * Entities of the billing sites (users, services, invoices, notification throttles, payment
 * methods, step-up password attempts). Sessions live in the `@secondfactor/sessions` table, the
 * password step's throttle in `two_factor_password_throttles` of `@secondfactor/typeorm`.
 */
export const siteEntities = [
  User,
  BillingService,
  Invoice,
  NotificationThrottleRecord,
  PaymentMethod,
  StepUpPasswordAttempt,
];

/**
 * Migrations of the billing sites, in order.
 */
export const siteMigrations = [
  CreateBillingSiteTables1735689600000,
  CreateNotificationThrottles1767225600000,
  DropSiteSessions1772323200000,
  AddAccountProtection1780000000000,
  CreatePaymentMethods1782000000000,
  DropLoginThrottles1784000000000,
];

export { BillingService, Invoice, NotificationThrottleRecord, PaymentMethod, StepUpPasswordAttempt, User };
