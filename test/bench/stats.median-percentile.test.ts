import * as chai from 'chai';
import { median, percentile, relativeSpread } from './lib/stats';

const { expect } = chai;

describe('bench stats', () => {
  describe('when taking a median', () => {
    it('returns the middle value of an odd count and the mean of the middle pair of an even count', () => {
      expect(median([5, 1, 3])).to.equal(3);
      expect(median([4, 1, 3, 2])).to.equal(2.5);
    });

    it("does not reorder the caller's list", () => {
      const values = [3, 1, 2];
      median(values);
      expect(values).to.deep.equal([3, 1, 2]);
    });

    it('refuses an empty list', () => {
      expect(() => median([])).to.throw(RangeError);
    });
  });

  describe('when taking a percentile', () => {
    it('uses the nearest rank, so p99 of 1..100 is 99 and p100 is the maximum', () => {
      const values = Array.from({ length: 100 }, (_, i) => 100 - i);
      expect(percentile(values, 99)).to.equal(99);
      expect(percentile(values, 50)).to.equal(50);
      expect(percentile(values, 100)).to.equal(100);
      expect(percentile(values, 0)).to.equal(1);
    });

    it('refuses a percentile outside 0..100', () => {
      expect(() => percentile([1], 101)).to.throw(RangeError);
    });
  });

  describe('when measuring spread', () => {
    it('is (max - min) / median', () => {
      expect(relativeSpread([90, 100, 110])).to.be.closeTo(0.2, 1e-12);
    });
  });
});
