import { ConflictError } from './domain.errors';

/** One named transition of a machine: the states it may start from and the state(s) it leads to. */
export interface TransitionDefinition<S extends string> {
  readonly from: readonly S[];
  /** Usually one state; more when a rule picks the target (e.g. VALID or INVALID after a removal). */
  readonly to: readonly S[];
}

/**
 * A state machine as an explicit table: every change of state has a name, a `from` set and a
 * `to`. Nothing else may change the state. Repositories apply a transition as a conditional
 * update (`SET state = <to> WHERE state = ANY(<from>)`), so an illegal one cannot be written
 * and, of two workers racing on one transition, only one can win.
 */
export interface StateMachine<S extends string, T extends string> {
  /** What the machine's states belong to, for messages ("batch", "batch shipment purchase"). */
  readonly subject: string;
  readonly states: readonly S[];
  /** The state rows are created in. */
  readonly initial: S;
  readonly transitions: { readonly [K in T]: TransitionDefinition<S> };
}

/** A transition resolved for one object: what a repository needs for its conditional update. */
export interface Step<S extends string, T extends string> {
  readonly name: T;
  /** Every state the transition may start from (the update's `WHERE state = ANY(from)`). */
  readonly from: readonly S[];
  readonly to: S;
}

/** The names of a machine's transitions. */
export type TransitionName<M> = M extends StateMachine<string, infer T> ? T : never;

/** A transition that the machine does not allow from the object's state (HTTP 409). */
export class IllegalTransitionError extends ConflictError {
  constructor(
    readonly subject: string,
    /** null: the move was asked for by its states (stepBetween), and no transition joins them. */
    readonly transition: string | null,
    readonly state: string,
    allowed: readonly string[],
    to?: string,
  ) {
    super(
      transition === null
        ? `${subject}: no transition leads from ${state} to ${to}`
        : to === undefined
          ? `${subject}: transition ${transition} is not allowed from ${state} (only from ${allowed.join(', ')})`
          : `${subject}: transition ${transition} cannot lead from ${state} to ${to}`,
      'illegal_transition',
    );
  }
}

/** Freezes a machine table after checking that it names only its own states. */
export function defineMachine<S extends string, T extends string>(machine: StateMachine<S, T>): StateMachine<S, T> {
  const known = new Set<string>(machine.states);
  if (!known.has(machine.initial)) throw new Error(`${machine.subject}: unknown initial state ${machine.initial}`);
  for (const [name, t] of Object.entries<TransitionDefinition<S>>(machine.transitions)) {
    if (t.from.length === 0 || t.to.length === 0) throw new Error(`${machine.subject}: transition ${name} needs a from and a to`);
    for (const s of [...t.from, ...t.to]) {
      if (!known.has(s)) throw new Error(`${machine.subject}: transition ${name} names unknown state ${s}`);
    }
    Object.freeze(t.from);
    Object.freeze(t.to);
    Object.freeze(t);
  }
  Object.freeze(machine.transitions);
  Object.freeze(machine.states);
  return Object.freeze(machine);
}

/**
 * The step `name` takes from state `from` (to `to`, when the transition has several targets).
 * Throws IllegalTransitionError, naming the transition and the state, when it is not allowed.
 */
export function transition<S extends string, T extends string>(
  machine: StateMachine<S, T>,
  name: T,
  from: S,
  to?: S,
): Step<S, T> {
  const t = definitionOf(machine, name);
  if (!t.from.includes(from)) throw new IllegalTransitionError(machine.subject, name, from, t.from);
  if (to === undefined) {
    if (t.to.length !== 1) throw new Error(`${machine.subject}: transition ${name} leads to ${t.to.join(' or ')}: say which`);
    return { name, from: t.from, to: t.to[0] };
  }
  if (!t.to.includes(to)) throw new IllegalTransitionError(machine.subject, name, from, t.from, to);
  return { name, from: t.from, to };
}

/**
 * The step of the one transition that leads from `from` to `to`, for callers that record a move
 * by the states it joins. Throws IllegalTransitionError when the machine names no such
 * transition (and an Error when it names several: then the caller must say which, by name).
 */
export function stepBetween<S extends string, T extends string>(machine: StateMachine<S, T>, from: S, to: S): Step<S, T> {
  const names = (Object.keys(machine.transitions) as T[]).filter((n) => canTransition(machine, n, from, to));
  if (names.length === 0) throw new IllegalTransitionError(machine.subject, null, from, [], to);
  if (names.length > 1) throw new Error(`${machine.subject}: ${names.join(' and ')} lead from ${from} to ${to}: say which`);
  return transition(machine, names[0], from, to);
}

/** Whether `name` is allowed from `from` (and may lead to `to`, when given). */
export function canTransition<S extends string, T extends string>(machine: StateMachine<S, T>, name: T, from: S, to?: S): boolean {
  const t = definitionOf(machine, name);
  return t.from.includes(from) && (to === undefined || t.to.includes(to));
}

/**
 * The states any of `names` may start from, in the machine's order: the `from` list of a
 * conditional update that applies one of these transitions to many rows at once.
 */
export function fromStates<S extends string, T extends string>(machine: StateMachine<S, T>, ...names: T[]): readonly S[] {
  const from = new Set<S>(names.flatMap((n) => definitionOf(machine, n).from));
  return machine.states.filter((s) => from.has(s));
}

/** The states no transition starts from (where the machine ends), in the machine's order. */
export function finalStates<S extends string, T extends string>(machine: StateMachine<S, T>): readonly S[] {
  const sources = new Set<S>(Object.values<TransitionDefinition<S>>(machine.transitions).flatMap((t) => t.from));
  return machine.states.filter((s) => !sources.has(s));
}

/** The one state `name` leads to (throws when the transition has several targets). */
export function toState<S extends string, T extends string>(machine: StateMachine<S, T>, name: T): S {
  const t = definitionOf(machine, name);
  if (t.to.length !== 1) throw new Error(`${machine.subject}: transition ${name} leads to ${t.to.join(' or ')}`);
  return t.to[0];
}

function definitionOf<S extends string, T extends string>(machine: StateMachine<S, T>, name: T): TransitionDefinition<S> {
  const t = Object.prototype.hasOwnProperty.call(machine.transitions, name) ? machine.transitions[name] : undefined;
  if (!t) throw new Error(`${machine.subject}: no transition named ${String(name)}`);
  return t;
}
