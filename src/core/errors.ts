// Errors that end a run with exit code 2 and a one-line message.
export class UsageError extends Error {
  override name = 'UsageError';
}
export class InputError extends Error {
  override name = 'InputError';
}
export class ConfigError extends Error {
  override name = 'ConfigError';
}
