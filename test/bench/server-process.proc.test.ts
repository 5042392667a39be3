import * as chai from 'chai';
import { cpuMsFromStat, readBytesFromIo } from './lib/server-process';

const { expect } = chai;

describe('bench: cpuMsFromStat', () => {
  it('adds utime and stime (fields 14 and 15) and converts ticks to ms', () => {
    expect(cpuMsFromStat('42 (mariadbd) S 1 42 42 0 -1 4194560 1 0 0 0 150 25 0 0 20 0 1 0 1 1 1')).to.equal(1750);
  });

  it('counts fields after the last parenthesis, so a name with spaces or ")" does not shift them', () => {
    expect(cpuMsFromStat('7 (my (odd) name) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 1 1 1')).to.equal(70);
  });

  it('throws on a line it cannot read', () => {
    expect(() => cpuMsFromStat('garbage')).to.throw('unreadable');
  });
});

describe('bench: readBytesFromIo', () => {
  it('reads read_bytes, not rchar (which counts reads the page cache served)', () => {
    const io = [
      'rchar: 900000',
      'wchar: 5',
      'syscr: 7',
      'syscw: 1',
      'read_bytes: 16384',
      'write_bytes: 0',
      'cancelled_write_bytes: 0',
    ].join('\n');
    expect(readBytesFromIo(io)).to.equal(16384);
  });

  it('throws on text without read_bytes', () => {
    expect(() => readBytesFromIo('rchar: 1')).to.throw('unreadable');
  });
});
