/** Store keys of the auth module; every key starts with "auth/" and each prefix is used once. */
export const ACCOUNT_PREFIX = 'auth/acc/';
export const NEXT_ACCOUNT_NUMBER = 'auth/next_account_number';
export const PARAMS = 'auth/params';

export const accountKey = (address: string) => ACCOUNT_PREFIX + address;
