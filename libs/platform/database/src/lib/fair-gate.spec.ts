import { FairGate } from './fair-gate';

describe('FairGate', () => {
  it('lets `size` holders in at once and queues the rest', async () => {
    const gate = new FairGate(2);
    await gate.acquire('a');
    await gate.acquire('a');
    let third = false;
    const waiting = gate.acquire('b').then(() => (third = true));
    await Promise.resolve();
    expect(third).toBe(false);
    expect(gate.waiting).toBe(1);
    gate.release();
    await waiting;
    expect(third).toBe(true);
  });

  it("serves a group with one waiter after one turn of another group's hundred, not after all of them", async () => {
    const gate = new FairGate(1);
    await gate.acquire('big');
    const order: string[] = [];
    const waits = [
      ...Array.from({ length: 100 }, (_, i) => gate.acquire('big').then(() => order.push(`big${i}`))),
      gate.acquire('small').then(() => order.push('small')),
    ];
    for (let i = 0; i < 101; i++) {
      gate.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(waits);
    expect(order.indexOf('small')).toBe(1);
    expect(order.filter((o) => o.startsWith('big'))).toEqual(Array.from({ length: 100 }, (_, i) => `big${i}`));
  });

  it('gives a permit back to the pool when nobody waits', async () => {
    const gate = new FairGate(1);
    await gate.acquire('a');
    gate.release();
    await gate.acquire('b');
    expect(gate.waiting).toBe(0);
  });
});
