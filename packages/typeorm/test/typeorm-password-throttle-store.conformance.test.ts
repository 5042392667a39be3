import { runPasswordThrottleConformanceSuite } from '@secondfactor/test-utils';
import { TypeOrmPasswordThrottleStore } from '../src';
import { ALL_DATABASES, forEachDatabase, openDatabase } from './support/databases';

describe('TypeOrmPasswordThrottleStore', function () {
  forEachDatabase(ALL_DATABASES, (kind) => {
    runPasswordThrottleConformanceSuite(
      `TypeOrmPasswordThrottleStore (${kind})`,
      async () => {
        const database = await openDatabase(kind);
        return { store: new TypeOrmPasswordThrottleStore(database.dataSource), teardown: () => database.teardown() };
      },
      { parallelism: 20 },
    );
  });
});
