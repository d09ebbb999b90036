/**
 * A DOM handler that starts an async action without waiting for it. The board's store actions catch
 * their own failures and show them as notices, so nothing is lost by not awaiting; React ignores a
 * handler's return value anyway, and this says so where a promise would otherwise be dropped unseen.
 */
export function inBackground<A extends unknown[]>(action: (...args: A) => Promise<unknown>): (...args: A) => void {
  return (...args) => void action(...args);
}
