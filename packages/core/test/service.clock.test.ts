/** The service's clock is the one the adapters and the strategy default to (S11: the server clock only). */
import * as chai from 'chai';
import { makeService } from './support/service-fixture';

const { expect } = chai;

describe('TwoFactorService', () => {
  describe('when a clock is injected', () => {
    it('S11: exposes that clock, so every other part reads the same time', () => {
      const fixture = makeService();
      expect(fixture.service.clock).to.equal(fixture.clock.clock);
      fixture.clock.advance({ seconds: 90 });
      expect(fixture.service.clock().getTime()).to.equal(fixture.clock.nowMs());
    });
  });

  describe('when no clock is given', () => {
    it('S11: reads the system time', () => {
      const { service } = makeService({ clock: undefined });
      const before = Date.now();
      const now = service.clock().getTime();
      expect(now).to.be.within(before, Date.now());
    });
  });
});
