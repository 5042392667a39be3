import * as chai from 'chai';
import { readBenchConfig } from './lib/config';

const { expect } = chai;

describe('readBenchConfig', () => {
  describe('when nothing is set', () => {
    it('publishes 5 runs of every part on both databases, 10,000 users and 1, 8 and 32 clients', () => {
      const config = readBenchConfig({});
      expect(config.runs).to.equal(5);
      expect(config.parts).to.deep.equal(['micro', 'backup', 'guard', 'verify']);
      expect(config.databases).to.deep.equal(['mysql', 'postgres', 'sqlite']);
      expect(config.users).to.equal(10_000);
      expect(config.concurrency).to.deep.equal([1, 8, 32]);
      expect(config.mysqlUrl).to.equal('mysql://root@127.0.0.1:3306/test');
      expect(config.postgresUrl).to.equal('postgres://root@127.0.0.1:5432/test');
      expect(config.writeDocs).to.be.true;
    });
  });

  describe('when a subset is selected', () => {
    it('publishes a subset of parts at full size, but not part 4 on some databases or fewer than 5 runs, unless BENCH_WRITE_DOCS=1', () => {
      expect(readBenchConfig({ BENCH_PARTS: 'micro' }).writeDocs).to.be.true;
      expect(readBenchConfig({ BENCH_PARTS: 'micro', BENCH_WRITE_DOCS: '0' }).writeDocs).to.be.false;
      expect(readBenchConfig({ BENCH_DATABASES: 'sqlite' }).writeDocs).to.be.false;
      expect(readBenchConfig({ BENCH_PARTS: 'micro', BENCH_DATABASES: 'sqlite' }).writeDocs).to.be.true;
      expect(readBenchConfig({ BENCH_RUNS: '3' }).writeDocs).to.be.false;
      expect(readBenchConfig({ BENCH_RUNS: '7' }).writeDocs).to.be.true;
      expect(readBenchConfig({ BENCH_PARTS: 'micro', BENCH_WRITE_DOCS: '1' }).writeDocs).to.be.true;
    });
  });

  describe('when the opt-in scale part is selected', () => {
    it('runs it only when asked, at a million users and ten million events on both servers, and publishes it alone only at that size', () => {
      expect(readBenchConfig({}).parts).not.to.include('scale');
      const config = readBenchConfig({ BENCH_PARTS: 'micro,backup,guard,verify,scale' });
      expect(config.parts).to.include('scale');
      expect(config.writeDocs).to.be.true;
      expect(config.scaleUsers).to.equal(1_000_000);
      expect(config.scaleEvents).to.equal(10_000_000);
      expect(config.scaleSmallUsers).to.equal(1000);
      expect(config.scaleConcurrency).to.equal(8);
      expect(config.scaleDatabases).to.deep.equal(['mysql', 'postgres']);
      expect(readBenchConfig({ BENCH_PARTS: 'scale' }).writeDocs).to.be.true;
      expect(readBenchConfig({ BENCH_PARTS: 'scale', BENCH_SCALE_USERS: '20000' }).writeDocs).to.be.false;
      expect(readBenchConfig({ BENCH_PARTS: 'scale', BENCH_SCALE_EVENTS: '200000' }).writeDocs).to.be.false;
      expect(readBenchConfig({ BENCH_PARTS: 'scale', BENCH_SCALE_DATABASES: 'mysql' }).writeDocs).to.be.false;
      expect(readBenchConfig({ BENCH_SCALE_DATABASES: 'postgres' }).scaleDatabases).to.deep.equal(['postgres']);
      expect(() => readBenchConfig({ BENCH_SCALE_DATABASES: 'sqlite' })).to.throw(/BENCH_SCALE_DATABASES/);
    });
  });

  describe('when a value is malformed', () => {
    it("fails fast with the variable's name", () => {
      expect(() => readBenchConfig({ BENCH_RUNS: 'five' })).to.throw(/BENCH_RUNS/);
      expect(() => readBenchConfig({ BENCH_PARTS: 'micro,disk' })).to.throw(/BENCH_PARTS: unknown "disk"/);
      expect(() => readBenchConfig({ BENCH_CONCURRENCY: '1,0' })).to.throw(/BENCH_CONCURRENCY/);
    });
  });
});
