// A config the app cannot run with. The CLI prints its message without a stack trace and exits 2.
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
