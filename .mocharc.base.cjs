'use strict';
// Shared mocha settings: TypeScript through tsx, and no `.only` in CI.
module.exports = {
  require: ['tsx/cjs'],
  extension: ['ts'],
  spec: ['test/**/*.test.ts'],
  timeout: 20000,
  'forbid-only': Boolean(process.env.CI),
};
