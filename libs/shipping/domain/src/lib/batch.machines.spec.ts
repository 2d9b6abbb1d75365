import {
  BATCH_SHIPMENT_STATUS_TRANSITIONS,
  BATCH_TRANSITION_EVENTS,
  BATCH_TRANSITIONS,
  OPEN_PURCHASE_STATES,
  PURCHASE_STATE_TRANSITIONS,
} from './batch.machines';
import { BATCH_SHIPMENT_STATUSES, BATCH_STATUSES, NATIVE_BATCH_STATES, PURCHASE_STATES } from './batch-status';
import { ConflictError } from './domain.errors';
import { NATIVE_BATCH_BEFORE_PURCHASE, NATIVE_BATCH_PURCHASE_ASKED, NATIVE_BATCH_SETTLED, NATIVE_BATCH_TRANSITIONS } from './native-batch.machine';
import { finalStates, fromStates, IllegalTransitionError, type StateMachine, stepBetween, toState, transition } from './state-machine';

type AnyMachine = StateMachine<string, string>;

/** `name: A | B -> C | D`, one line per transition, in table order. */
const tableOf = (m: AnyMachine) =>
  Object.entries(m.transitions).map(([name, t]) => `${name}: ${t.from.join(' | ')} -> ${t.to.join(' | ')}`);

/** Every (transition, state) pair of a machine, each marked legal or not. */
const everyPair = (m: AnyMachine) =>
  Object.keys(m.transitions).flatMap((name) =>
    m.states.map((state) => ({ name, state, legal: m.transitions[name].from.includes(state), to: m.transitions[name].to })),
  );

/** Checks every transition of `m` from every one of its states, legal and illegal. */
function describeEveryTransition(label: string, m: AnyMachine) {
  describe(`${label}: every transition from every state`, () => {
    const pairs = everyPair(m);
    it.each(pairs.filter((p) => p.legal))('$name is allowed from $state', ({ name, state, to }) => {
      for (const target of to) {
        expect(transition(m, name, state, target)).toEqual({ name, from: m.transitions[name].from, to: target });
      }
      if (to.length === 1) expect(transition(m, name, state).to).toBe(to[0]);
      // ... but never to a state the table does not name.
      for (const other of m.states.filter((s) => !to.includes(s))) {
        expect(() => transition(m, name, state, other)).toThrow(IllegalTransitionError);
      }
    });
    it.each(pairs.filter((p) => !p.legal))('$name is refused from $state', ({ name, state }) => {
      let error: unknown;
      try {
        transition(m, name, state, m.transitions[name].to[0]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(IllegalTransitionError);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ kind: 'conflict', code: 'illegal_transition', subject: m.subject, transition: name, state });
      expect((error as Error).message).toContain(name);
      expect((error as Error).message).toContain(state);
    });
  });
}

describe('batch machine (BATCH_TRANSITIONS)', () => {
  it('is exactly this table', () => {
    expect(BATCH_TRANSITIONS.states).toEqual(BATCH_STATUSES);
    expect(BATCH_TRANSITIONS.initial).toBe('VALIDATING');
    expect(tableOf(BATCH_TRANSITIONS)).toEqual([
      'validation_finished_valid: VALIDATING -> VALID',
      'validation_finished_invalid: VALIDATING -> INVALID',
      'shipments_added: VALIDATING | VALID | INVALID -> VALIDATING',
      'shipments_removed: VALID | INVALID -> VALID | INVALID',
      'purchase_requested: VALID -> PURCHASING',
      'retry_requested: PURCHASED -> PURCHASING',
      'purchase_finished: PURCHASING -> PURCHASED',
    ]);
  });

  it('names the outbox event written with a transition', () => {
    expect(BATCH_TRANSITION_EVENTS).toEqual({
      validation_finished_valid: 'batch_created',
      validation_finished_invalid: 'batch_created',
      purchase_finished: 'batch_purchased',
    });
  });

  it('gives repositories the from list of a conditional update', () => {
    expect(fromStates(BATCH_TRANSITIONS, 'purchase_requested')).toEqual(['VALID']);
    expect(fromStates(BATCH_TRANSITIONS, 'purchase_requested', 'retry_requested')).toEqual(['VALID', 'PURCHASED']);
    expect(toState(BATCH_TRANSITIONS, 'purchase_finished')).toBe('PURCHASED');
  });
});
describeEveryTransition('batch', BATCH_TRANSITIONS);

describe('batch shipment status machine (BATCH_SHIPMENT_STATUS_TRANSITIONS)', () => {
  it('is exactly this table', () => {
    expect(BATCH_SHIPMENT_STATUS_TRANSITIONS.states).toEqual(BATCH_SHIPMENT_STATUSES);
    expect(BATCH_SHIPMENT_STATUS_TRANSITIONS.initial).toBe('PENDING');
    expect(tableOf(BATCH_SHIPMENT_STATUS_TRANSITIONS)).toEqual([
      'validated: PENDING -> VALID | INVALID | INCOMPLETE',
      'purchase_failed: VALID -> TRANSACTION_FAILED',
      'retry_failed: TRANSACTION_FAILED -> VALID',
      'label_recorded: VALID | TRANSACTION_FAILED -> VALID',
    ]);
  });
  it('never goes back to PENDING, and INVALID or INCOMPLETE shipments never move again', () => {
    const targets = Object.values(BATCH_SHIPMENT_STATUS_TRANSITIONS.transitions).flatMap((t) => t.to);
    expect(targets).not.toContain('PENDING');
    const sources = Object.values(BATCH_SHIPMENT_STATUS_TRANSITIONS.transitions).flatMap((t) => t.from);
    expect(sources).not.toContain('INVALID');
    expect(sources).not.toContain('INCOMPLETE');
  });
});
describeEveryTransition('batch shipment status', BATCH_SHIPMENT_STATUS_TRANSITIONS);

describe('purchase state machine (PURCHASE_STATE_TRANSITIONS)', () => {
  it('is exactly this table', () => {
    expect(PURCHASE_STATE_TRANSITIONS.states).toEqual(PURCHASE_STATES);
    expect(PURCHASE_STATE_TRANSITIONS.initial).toBe('NONE');
    expect(tableOf(PURCHASE_STATE_TRANSITIONS)).toEqual([
      'queued: NONE -> QUEUED',
      'claimed: QUEUED -> PURCHASING',
      'lease_taken_over: PURCHASING -> PURCHASING',
      'requeued: PURCHASING -> QUEUED',
      'handed_back: PURCHASING -> QUEUED',
      'purchased: PURCHASING -> PURCHASED',
      'purchased_late: QUEUED | FAILED -> PURCHASED',
      'failed: PURCHASING -> FAILED',
      'retry_failed: FAILED -> QUEUED',
      'handed_to_native: QUEUED -> NATIVE',
      'native_purchased: NATIVE -> PURCHASED',
      'native_failed: NATIVE -> FAILED',
      'native_given_back: NATIVE -> QUEUED',
    ]);
  });

  it('keeps PURCHASED final: a bought label is never bought again', () => {
    const sources = Object.values(PURCHASE_STATE_TRANSITIONS.transitions).flatMap((t) => t.from);
    expect(sources).not.toContain('PURCHASED');
  });

  it('reaches NATIVE only from QUEUED, and leaves it only to PURCHASED, FAILED or QUEUED', () => {
    const into = Object.entries(PURCHASE_STATE_TRANSITIONS.transitions).filter(([, t]) => t.to.includes('NATIVE'));
    expect(into.map(([n, t]) => [n, t.from])).toEqual([['handed_to_native', ['QUEUED']]]);
    const out = Object.values(PURCHASE_STATE_TRANSITIONS.transitions).filter((t) => t.from.includes('NATIVE'));
    expect(out.flatMap((t) => t.to).sort()).toEqual(['FAILED', 'PURCHASED', 'QUEUED']);
  });

  it('counts QUEUED, PURCHASING and NATIVE as open: each can still end in PURCHASED or FAILED', () => {
    expect(OPEN_PURCHASE_STATES).toEqual(['QUEUED', 'PURCHASING', 'NATIVE']);
    const next = (s: string) =>
      Object.values(PURCHASE_STATE_TRANSITIONS.transitions).filter((t) => t.from.includes(s as never)).flatMap((t) => t.to);
    for (const open of OPEN_PURCHASE_STATES) {
      const reachable = new Set<string>([open]);
      for (let grew = true; grew; ) {
        const before = reachable.size;
        for (const s of [...reachable]) for (const t of next(s)) reachable.add(t);
        grew = reachable.size > before;
      }
      expect(reachable).toContain('PURCHASED');
      expect(reachable).toContain('FAILED');
    }
  });

  it('gives the claim and the record their from lists', () => {
    expect(fromStates(PURCHASE_STATE_TRANSITIONS, 'claimed')).toEqual(['QUEUED']);
    expect(fromStates(PURCHASE_STATE_TRANSITIONS, 'lease_taken_over')).toEqual(['PURCHASING']);
    expect(fromStates(PURCHASE_STATE_TRANSITIONS, 'purchased', 'purchased_late', 'native_purchased')).toEqual([
      'QUEUED',
      'PURCHASING',
      'NATIVE',
      'FAILED',
    ]);
  });
});
describeEveryTransition('purchase state', PURCHASE_STATE_TRANSITIONS);

describe('native batch machine (NATIVE_BATCH_TRANSITIONS)', () => {
  it('is exactly this table', () => {
    expect(NATIVE_BATCH_TRANSITIONS.states).toEqual(NATIVE_BATCH_STATES);
    expect(NATIVE_BATCH_TRANSITIONS.initial).toBe('CREATING');
    expect(tableOf(NATIVE_BATCH_TRANSITIONS)).toEqual([
      'created: CREATING -> CREATED',
      'validated: CREATED -> VALIDATED',
      'purchase_requested: VALIDATED -> PURCHASE_REQUESTED',
      'purchase_refused: PURCHASE_REQUESTED -> VALIDATED',
      'purchased: PURCHASE_REQUESTED -> PURCHASED',
      'collected: PURCHASED -> COLLECTED',
      'nothing_to_buy: CREATING | VALIDATED -> COLLECTED',
      'failed: CREATING | CREATED | VALIDATED | PURCHASE_REQUESTED | PURCHASED -> FAILED',
    ]);
  });

  it('ends in COLLECTED or FAILED, and every other state can reach both', () => {
    expect(finalStates(NATIVE_BATCH_TRANSITIONS)).toEqual(['COLLECTED', 'FAILED']);
    for (const s of NATIVE_BATCH_STATES.filter((x) => !finalStates(NATIVE_BATCH_TRANSITIONS).includes(x))) {
      expect(transition(NATIVE_BATCH_TRANSITIONS, 'failed', s).to).toBe('FAILED');
    }
  });

  it('joins two states by at most one transition, so a move from -> to is one named step or refused', () => {
    // The native batch repository records moves by their states (move(id, from, to)).
    const pairs = NATIVE_BATCH_STATES.flatMap((from) => NATIVE_BATCH_STATES.map((to) => ({ from, to })));
    const named = pairs.flatMap(({ from, to }) => {
      try {
        const step = stepBetween(NATIVE_BATCH_TRANSITIONS, from, to);
        return [`${from} -> ${to}: ${step.name}`];
      } catch (error) {
        expect(error).toBeInstanceOf(IllegalTransitionError);
        expect(error).toMatchObject({ code: 'illegal_transition', transition: null, state: from });
        return [];
      }
    });
    expect(named).toEqual([
      'CREATING -> CREATED: created',
      'CREATING -> COLLECTED: nothing_to_buy',
      'CREATING -> FAILED: failed',
      'CREATED -> VALIDATED: validated',
      'CREATED -> FAILED: failed',
      'VALIDATED -> PURCHASE_REQUESTED: purchase_requested',
      'VALIDATED -> COLLECTED: nothing_to_buy',
      'VALIDATED -> FAILED: failed',
      'PURCHASE_REQUESTED -> VALIDATED: purchase_refused',
      'PURCHASE_REQUESTED -> PURCHASED: purchased',
      'PURCHASE_REQUESTED -> FAILED: failed',
      'PURCHASED -> COLLECTED: collected',
      'PURCHASED -> FAILED: failed',
    ]);
  });

  it('asks the provider to purchase only after recording PURCHASE_REQUESTED, once per VALIDATED', () => {
    // The only way into PURCHASED is through PURCHASE_REQUESTED, and that only from VALIDATED.
    const into = (s: string) =>
      Object.entries(NATIVE_BATCH_TRANSITIONS.transitions)
        .filter(([, t]) => t.to.includes(s as never))
        .map(([n, t]) => `${n}: ${t.from.join(' | ')}`);
    expect(into('PURCHASED')).toEqual(['purchased: PURCHASE_REQUESTED']);
    expect(into('PURCHASE_REQUESTED')).toEqual(['purchase_requested: VALIDATED']);
  });
});
describeEveryTransition('native batch', NATIVE_BATCH_TRANSITIONS);

describe('native batch state groups', () => {
  it('are derived from the transition table', () => {
    expect(NATIVE_BATCH_SETTLED).toEqual(['COLLECTED', 'FAILED']);
    expect(NATIVE_BATCH_BEFORE_PURCHASE).toEqual(['CREATING', 'CREATED', 'VALIDATED']);
    expect(NATIVE_BATCH_PURCHASE_ASKED).toEqual(['PURCHASE_REQUESTED', 'PURCHASED']);
  });
});
