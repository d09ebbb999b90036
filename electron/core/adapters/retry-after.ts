// Kept for the adapters that import it by this name; the parser lives with the failure policy.
export { parseRetryAfter } from '../base/failures.ts';
