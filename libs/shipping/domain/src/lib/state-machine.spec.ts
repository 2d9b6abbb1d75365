import { ConflictError } from './domain.errors';
import {
  canTransition,
  defineMachine,
  finalStates,
  fromStates,
  IllegalTransitionError,
  stepBetween,
  toState,
  transition,
} from './state-machine';

const LIGHT = defineMachine({
  subject: 'light',
  states: ['OFF', 'ON', 'BROKEN'] as const,
  initial: 'OFF',
  transitions: {
    switched_on: { from: ['OFF'], to: ['ON'] },
    switched_off: { from: ['ON'], to: ['OFF'] },
    tested: { from: ['OFF', 'ON'], to: ['ON', 'BROKEN'] },
  },
});

describe('state machine', () => {
  it('gives the step of a legal transition: its name, every from state and the target', () => {
    expect(transition(LIGHT, 'switched_on', 'OFF')).toEqual({ name: 'switched_on', from: ['OFF'], to: 'ON' });
    expect(transition(LIGHT, 'tested', 'ON', 'BROKEN')).toEqual({ name: 'tested', from: ['OFF', 'ON'], to: 'BROKEN' });
  });

  it('refuses an illegal transition with a ConflictError naming the transition and the state', () => {
    const attempt = () => transition(LIGHT, 'switched_off', 'BROKEN');
    expect(attempt).toThrow(IllegalTransitionError);
    expect(attempt).toThrow(ConflictError);
    expect(attempt).toThrow('light: transition switched_off is not allowed from BROKEN (only from ON)');
    expect(() => transition(LIGHT, 'tested', 'ON', 'OFF')).toThrow('light: transition tested cannot lead from ON to OFF');
  });

  it('wants the target named when a transition has several', () => {
    expect(() => transition(LIGHT, 'tested', 'ON')).toThrow(/ON or BROKEN/);
    expect(() => toState(LIGHT, 'tested')).toThrow(/ON or BROKEN/);
    expect(toState(LIGHT, 'switched_off')).toBe('OFF');
  });

  it('answers whether a transition is allowed without throwing', () => {
    expect(canTransition(LIGHT, 'switched_on', 'OFF')).toBe(true);
    expect(canTransition(LIGHT, 'switched_on', 'ON')).toBe(false);
    expect(canTransition(LIGHT, 'tested', 'OFF', 'BROKEN')).toBe(true);
    expect(canTransition(LIGHT, 'tested', 'OFF', 'OFF')).toBe(false);
  });

  it('unites the from lists of several transitions in the order of the states', () => {
    expect(fromStates(LIGHT, 'switched_off', 'switched_on')).toEqual(['OFF', 'ON']);
    expect(fromStates(LIGHT, 'tested', 'switched_on')).toEqual(['OFF', 'ON']);
  });

  it('resolves a move given by its states to the one transition that joins them, and refuses the others', () => {
    expect(stepBetween(LIGHT, 'ON', 'OFF')).toEqual({ name: 'switched_off', from: ['ON'], to: 'OFF' });
    expect(stepBetween(LIGHT, 'ON', 'BROKEN')).toEqual({ name: 'tested', from: ['OFF', 'ON'], to: 'BROKEN' });
    const refused = () => stepBetween(LIGHT, 'BROKEN', 'ON');
    expect(refused).toThrow(IllegalTransitionError);
    expect(refused).toThrow(ConflictError);
    expect(refused).toThrow('light: no transition leads from BROKEN to ON');
    expect(() => stepBetween(LIGHT, 'OFF', 'OFF')).toThrow(IllegalTransitionError);
    // switched_on and tested both lead from OFF to ON: the caller has to name one.
    expect(() => stepBetween(LIGHT, 'OFF', 'ON')).toThrow('light: switched_on and tested lead from OFF to ON: say which');
  });

  it('names the states no transition starts from', () => {
    expect(finalStates(LIGHT)).toEqual(['BROKEN']);
  });

  it('rejects a table naming states it does not have, and freezes the ones it accepts', () => {
    expect(() =>
      defineMachine({ subject: 'x', states: ['A'], initial: 'A', transitions: { go: { from: ['A'], to: ['B' as 'A'] } } }),
    ).toThrow('x: transition go names unknown state B');
    expect(() => defineMachine({ subject: 'x', states: ['A'], initial: 'B' as 'A', transitions: {} })).toThrow(/initial/);
    expect(() => defineMachine({ subject: 'x', states: ['A'], initial: 'A', transitions: { go: { from: [], to: ['A'] } } })).toThrow(
      /needs a from and a to/,
    );
    expect(Object.isFrozen(LIGHT.transitions.tested.from)).toBe(true);
    expect(() => transition(LIGHT, 'repaired' as 'tested', 'BROKEN')).toThrow(/no transition named repaired/);
  });
});
