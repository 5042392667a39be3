/** `npm start`: the Koa billing site on PORT, with its data in `examples/billing-site/.data` by default. */
import { resolve } from 'node:path';
import { serveSite } from '@secondfactor/example-billing-shared';
import { createApp } from './app';

serveSite({ siteDir: resolve(__dirname, '..'), framework: 'Koa', createApp });
