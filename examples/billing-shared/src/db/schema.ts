/** The sites' own entities and migrations, listed once. */
import { BillingService } from './entities/billing-service.entity';
import { Invoice } from './entities/invoice.entity';
import { NotificationThrottleRecord } from './entities/notification-throttle.entity';
import { User } from './entities/user.entity';
import { CreateBillingSiteTables1735689600000 } from './migrations/1735689600000-create-billing-site-tables';
import { CreateNotificationThrottles1767225600000 } from './migrations/1767225600000-create-notification-throttles';
import { DropSiteSessions1772323200000 } from './migrations/1772323200000-drop-site-sessions';

/**
 * Entities of the billing sites (users, services, invoices, notification throttles). Sessions live in
 * the `@secondfactor/sessions` table.
 */
export const siteEntities = [User, BillingService, Invoice, NotificationThrottleRecord];

/**
 * Migrations of the billing sites, in order.
 */
export const siteMigrations = [
  CreateBillingSiteTables1735689600000,
  CreateNotificationThrottles1767225600000,
  DropSiteSessions1772323200000,
];

export { BillingService, Invoice, NotificationThrottleRecord, User };
