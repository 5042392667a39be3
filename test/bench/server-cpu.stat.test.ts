import * as chai from 'chai';
import { cpuMsFromStat } from './lib/server-cpu';

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
