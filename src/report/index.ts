// The reporters, by id. Explicit and sorted: no scanning of the file system.
import { jsonReporter } from './json.js';
import { textReporter } from './text.js';
import type { Reporter } from './types.js';

export const reporters: Record<string, Reporter> = {
  json: jsonReporter,
  text: textReporter,
};

export const reporterIds = Object.keys(reporters);
