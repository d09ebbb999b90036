// The message of anything thrown, formatted one way everywhere: the core (re-exported by
// electron/core/base/failures.ts), the shells and the board.

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
