/**
 * Store keys of the staking module; every key starts with "staking/". Execution never iterates: the
 * `*_queue`, `validators` and `last_powers` keys hold explicit sorted lists; prefixes marked
 * "queries" exist only so queries and invariants can scan.
 */
export const PARAMS = 'staking/params';
export const VALIDATOR_PREFIX = 'staking/validator/';
/** JSON array of every operator address, sorted. */
export const VALIDATORS_INDEX = 'staking/validators';
export const CONS_PREFIX = 'staking/cons/';
export const DELEGATION_PREFIX = 'staking/delegation/';
/** queries: validator → delegators. */
export const DELEGATION_BY_VAL_PREFIX = 'staking/delegation_by_val/';
export const UBD_PREFIX = 'staking/ubd/';
/** queries: validator → delegators with unbonding entries. */
export const UBD_BY_VAL_PREFIX = 'staking/ubd_by_val/';
export const RED_PREFIX = 'staking/red/';
/** Count of immature redelegations of a delegator into a validator (transitive redelegation check). */
export const RED_IN_PREFIX = 'staking/red_in/';
export const UBD_QUEUE = 'staking/ubd_queue';
export const RED_QUEUE = 'staking/red_queue';
export const VAL_QUEUE = 'staking/val_queue';
/** JSON array of [operator, power] of the last validator set handed to consensus, sorted by operator. */
export const LAST_POWERS = 'staking/last_powers';
/** Present when some validator changed since the last set computation. */
export const SET_DIRTY = 'staking/set_dirty';

export const validatorKey = (operator: string) => VALIDATOR_PREFIX + operator;
export const consKey = (consAddressHex: string) => CONS_PREFIX + consAddressHex;
export const delegationKey = (delegator: string, operator: string) => `${DELEGATION_PREFIX}${delegator}/${operator}`;
export const delegationsOfPrefix = (delegator: string) => `${DELEGATION_PREFIX}${delegator}/`;
export const delegationByValKey = (operator: string, delegator: string) => `${DELEGATION_BY_VAL_PREFIX}${operator}/${delegator}`;
export const ubdKey = (delegator: string, operator: string) => `${UBD_PREFIX}${delegator}/${operator}`;
export const ubdsOfPrefix = (delegator: string) => `${UBD_PREFIX}${delegator}/`;
export const ubdByValKey = (operator: string, delegator: string) => `${UBD_BY_VAL_PREFIX}${operator}/${delegator}`;
export const redKey = (delegator: string, src: string, dst: string) => `${RED_PREFIX}${delegator}/${src}/${dst}`;
export const redInKey = (delegator: string, dst: string) => `${RED_IN_PREFIX}${delegator}/${dst}`;
