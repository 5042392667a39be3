'use strict';
// Cross-package, HTTP and browser tests. They run against the built packages (`npm test` builds first).
module.exports = {
  require: ['tsx/cjs'],
  extension: ['ts'],
  spec: ['test/**/*.test.ts'],
  timeout: 60000,
  'forbid-only': Boolean(process.env.CI),
};
