/** `npm run admin -- 2fa:status|2fa:disable|2fa:unlock <email>`: the shared support CLI, on this site's data folder. */
import { resolve } from 'node:path';
import { runAdminCli } from '@secondfactor/example-billing-shared';

runAdminCli(process.argv.slice(2), { siteDir: resolve(__dirname, '..') }).then((code) => process.exit(code));
