/** Injection tokens of the queue library's ports and options, one place for all of them. */

/** Injection token for the QueuePort. */
export const QUEUE_PORT = Symbol('QUEUE_PORT');

/** Injection token for the QueueInspector. */
export const QUEUE_INSPECTOR = Symbol('QUEUE_INSPECTOR');

/** Injection token for the AccountThrottle that QueueModule.forRoot provides. */
export const ACCOUNT_THROTTLE = Symbol('ACCOUNT_THROTTLE');

/** Injection token for the options given to `QueueModule.forRoot`. */
export const QUEUE_MODULE_OPTIONS = Symbol('QUEUE_MODULE_OPTIONS');

/** Injection token for the QueueStateWatch. */
export const QUEUE_STATE_WATCH = Symbol('QUEUE_STATE_WATCH');
