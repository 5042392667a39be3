/** `npm run start:express`: the Express site on PORT, its data in `examples/express-site/.data` by default. */
import { resolve } from 'node:path';
import { serveSite } from '@secondfactor/example-billing-shared';
import { createApp } from './app';

serveSite({ siteDir: resolve(__dirname, '..'), framework: 'Express', createApp });
