// One way to say what was thrown: an Error's message, a string as it is, anything else as JSON
// (never "[object Object]"), and something JSON cannot write still gives a line.
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../shared/error-message.ts';
import { errorMessage as coreErrorMessage } from '../../electron/core/base/failures.ts';

describe('errorMessage', () => {
  it('formats whatever was thrown one way', () => {
    expect(errorMessage(new TypeError('no such field'))).toBe('no such field');
    expect(errorMessage('disk full')).toBe('disk full');
    expect(errorMessage({ code: 'E42', detail: 'busy' })).toBe('{"code":"E42","detail":"busy"}');
    expect(errorMessage(undefined)).toBe('undefined');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(errorMessage(circular)).toBe('[object Object]');
  });

  it('is the same function in the core and in shared/', () => {
    expect(coreErrorMessage).toBe(errorMessage);
  });
});
