/** Store keys of the distribution module; every key starts with "distribution/". */
export const PARAMS = 'distribution/params';
export const VAL_PREFIX = 'distribution/val/';
export const DEL_PREFIX = 'distribution/del/';
export const COMMUNITY_POOL = 'distribution/community_pool';

export const valKey = (operator: string) => VAL_PREFIX + operator;
export const delKey = (delegator: string, operator: string) => `${DEL_PREFIX}${delegator}/${operator}`;
