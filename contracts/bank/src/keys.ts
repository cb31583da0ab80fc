/** Store keys of the bank module. A balance key ends with the denom so one address's balances are contiguous. */
export const BALANCE_PREFIX = 'bank/balance/';
export const SUPPLY_PREFIX = 'bank/supply/';

export const balancesPrefix = (address: string) => `${BALANCE_PREFIX}${address}/`;
export const balanceKey = (address: string, denom: string) => `${BALANCE_PREFIX}${address}/${denom}`;
export const supplyKey = (denom: string) => SUPPLY_PREFIX + denom;
