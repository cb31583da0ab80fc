/** Store keys of the slashing module; every key starts with "slashing/". Consensus addresses are lower hex. */
export const PARAMS = 'slashing/params';
export const INFO_PREFIX = 'slashing/info/';
export const MISSED_PREFIX = 'slashing/missed/';

export const infoKey = (consHex: string) => INFO_PREFIX + consHex;
export const missedKey = (consHex: string) => MISSED_PREFIX + consHex;
