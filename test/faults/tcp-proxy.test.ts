import * as chai from 'chai';
import chaiAsPromised from 'chai-as-promised';
import { createConnection, createServer, type Server } from 'node:net';
import { TcpProxy } from '../support/tcp-proxy';

chai.use(chaiAsPromised);
const { expect } = chai;

/** Connects, sends `ping`, resolves with the first answer. */
function roundTrip(port: number, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('timeout'));
    }, timeoutMs);
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      reject(new Error('closed'));
    });
    socket.once('data', (data) => {
      clearTimeout(timer);
      socket.removeAllListeners('close');
      socket.destroy();
      resolve(data.toString());
    });
    socket.write('ping');
  });
}

describe('TcpProxy (fault-injection helper)', () => {
  let echo: Server;
  let echoPort: number;
  let proxy: TcpProxy;

  before(async () => {
    echo = createServer((socket) => socket.on('data', (data) => socket.write(`echo:${data.toString()}`)));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
    echoPort = (echo.address() as { port: number }).port;
    proxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: echoPort });
  });

  after(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  describe('when forwarding', () => {
    it('passes bytes both ways', async () => {
      expect(await roundTrip(proxy.port)).to.equal('echo:ping');
    });
  });

  describe('when refusing', () => {
    it('refuses connections on the same port, then forwards again on resume', async () => {
      await proxy.setMode('refuse');
      await expect(roundTrip(proxy.port)).to.be.rejectedWith(/ECONNREFUSED/);
      await proxy.setMode('forward');
      expect(await roundTrip(proxy.port)).to.equal('echo:ping');
    });
  });

  describe('when resetting or black-holing', () => {
    it('resets accepted connections', async () => {
      await proxy.setMode('reset');
      await expect(roundTrip(proxy.port)).to.be.rejectedWith(/ECONNRESET|closed/);
      await proxy.setMode('forward');
    });

    it('never answers in blackhole mode', async () => {
      await proxy.setMode('blackhole');
      await expect(roundTrip(proxy.port, 300)).to.be.rejectedWith(/timeout/);
      await proxy.setMode('forward');
      expect(await roundTrip(proxy.port)).to.equal('echo:ping');
    });
  });
});
