import type { INestApplicationContext } from '@nestjs/common';
import { ShutdownState } from '@shipbatch/platform/queue';
import { exitGracefullyOnSignals } from './graceful-shutdown';

/** An application whose close() resolves when the test says so. */
function fakeApp() {
  const state = new ShutdownState();
  let finish: () => void = () => undefined;
  const closing = new Promise<void>((resolve) => (finish = resolve));
  let closes = 0;
  const app = { get: () => state, close: () => (closes++, closing) } as unknown as INestApplicationContext;
  return { app, state, finish, closes: () => closes };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('exitGracefullyOnSignals', () => {
  const stops: Array<() => void> = [];
  afterEach(() => stops.splice(0).forEach((stop) => stop()));

  it('on SIGTERM: not ready at once, closes the application, then exits 0', async () => {
    const { app, state, finish, closes } = fakeApp();
    const exits: number[] = [];
    stops.push(exitGracefullyOnSignals(app, { graceMs: 60_000, exit: (c) => void exits.push(c), signals: ['SIGTERM'] }));
    process.emit('SIGTERM', 'SIGTERM');
    expect(state.stopping).toBe(true);
    await turn();
    expect({ closes: closes(), exits }).toEqual({ closes: 1, exits: [] });
    finish();
    await turn();
    expect(exits).toEqual([0]);
  });

  it('exits at once on a second signal during the drain (143 for SIGTERM, 130 for SIGINT)', async () => {
    const { app } = fakeApp();
    const exits: number[] = [];
    stops.push(exitGracefullyOnSignals(app, { graceMs: 60_000, exit: (c) => void exits.push(c), signals: ['SIGTERM', 'SIGINT'] }));
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGTERM', 'SIGTERM');
    expect(exits).toEqual([130, 143]);
  });

  it('exits 0 once the grace is over, whatever is still in flight', async () => {
    const { app, closes } = fakeApp();
    const exits: number[] = [];
    stops.push(exitGracefullyOnSignals(app, { graceMs: 10, exit: (c) => void exits.push(c), signals: ['SIGTERM'] }));
    process.emit('SIGTERM', 'SIGTERM');
    for (let i = 0; i < 200 && exits.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect({ closes: closes(), exits }).toEqual({ closes: 1, exits: [0] });
  });
});
