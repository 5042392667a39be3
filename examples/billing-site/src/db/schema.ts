/** The site's own entities and migrations, listed once. */
import { BillingService } from './entities/billing-service.entity';
import { Invoice } from './entities/invoice.entity';
import { NotificationThrottleRecord } from './entities/notification-throttle.entity';
import { SessionRecord } from './entities/session-record.entity';
import { User } from './entities/user.entity';
import { CreateBillingSiteTables1735689600000 } from './migrations/1735689600000-create-billing-site-tables';
import { CreateNotificationThrottles1767225600000 } from './migrations/1767225600000-create-notification-throttles';

/**
 * Entities of the billing site (users, services, invoices, sessions, notification throttles).
 *
 * @example
 * ```ts
 * new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [...siteEntities] });
 * ```
 */
export const siteEntities = [User, BillingService, Invoice, SessionRecord, NotificationThrottleRecord];

/**
 * Migrations of the billing site, in order.
 *
 * @example
 * ```ts
 * new DataSource({ type: 'better-sqlite3', database: ':memory:', migrations: [...siteMigrations] });
 * ```
 */
export const siteMigrations = [CreateBillingSiteTables1735689600000, CreateNotificationThrottles1767225600000];

export { BillingService, Invoice, NotificationThrottleRecord, SessionRecord, User };
