import { registerError } from '@trucom/chain';

/** x/distribution/types/errors.go (codespace "distribution"). */
const e = (code: number, description: string) => registerError('distribution', code, description);
export const ErrEmptyDelegatorAddr = e(2, 'delegator address is empty');
export const ErrEmptyValidatorAddr = e(4, 'validator address is empty');
export const ErrEmptyDelegationDistInfo = e(5, 'no delegation distribution info');
export const ErrNoValidatorDistInfo = e(6, 'no validator distribution info');
export const ErrNoValidatorCommission = e(7, 'no validator commission to withdraw');
export const ErrNoValidatorExists = e(12, 'validator does not exist');
export const ErrNoDelegationExists = e(13, 'delegation does not exist');
