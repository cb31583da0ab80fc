import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TRUCOM_CLI = join(REPO_ROOT, 'bin', 'trucom.js');
export const DENOM = 'utru';
