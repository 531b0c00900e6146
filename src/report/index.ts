// The reporters, by id. Explicit and sorted: no scanning of the file system.
import { githubReporter } from './github.js';
import { harReporter } from './har.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { lintTextReporter } from './lint-text.js';
import { markdownReporter } from './markdown.js';
import { otlpReporter } from './otlp.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';
import type { Reporter } from './types.js';

export const reporters: Record<string, Reporter> = {
  github: githubReporter,
  har: harReporter,
  html: htmlReporter,
  json: jsonReporter,
  junit: junitReporter,
  markdown: markdownReporter,
  otlp: otlpReporter,
  sarif: sarifReporter,
  text: textReporter,
};

export const reporterIds = Object.keys(reporters);

/** The formats of `lint` (and `run --lint`): findings only; `text` is the lint line format. */
export const lintReporters: Record<string, Reporter> = {
  text: lintTextReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  junit: junitReporter,
  github: githubReporter,
  markdown: markdownReporter,
};

export const lintFormats = Object.keys(lintReporters);
