import { runStoreConformanceSuite } from '@secondfactor/test-utils';
import { TypeOrmTwoFactorStore } from '../src';
import { forEachDatabase, ALL_DATABASES, openDatabase } from './support/databases';

describe('TypeOrmTwoFactorStore', function () {
  forEachDatabase(ALL_DATABASES, (kind) => {
    runStoreConformanceSuite(
      `TypeOrmTwoFactorStore (${kind})`,
      async () => {
        const database = await openDatabase(kind);
        return { store: new TypeOrmTwoFactorStore(database.dataSource), teardown: () => database.teardown() };
      },
      { parallelism: 20 },
    );
  });
});
