// The headers and bodies of every exchange, for the reports that show them (HTML's
// details, HAR). Most bytes of a debug log are bodies: a long run's would not fit in
// memory, so past a budget they go to disk (json-store.ts) and are read back one at a
// time, by exchange id.
import type { DetailLookup, ExchangeDetail } from '../core/analysis.js';
import { defaultBudget, JsonStore } from './json-store.js';

export class DetailStore extends JsonStore<ExchangeDetail> implements DetailLookup {
  /** `budget`: characters held before the store goes to disk (tests set it low). */
  constructor(budget = defaultBudget()) {
    super(charsOf, budget);
  }
}

function charsOf(d: ExchangeDetail): number {
  let n = (d.requestBody?.length ?? 0) + (d.responseBody?.length ?? 0);
  for (const [name, value] of d.requestHeaders) n += name.length + value.length;
  for (const [name, value] of d.responseHeaders ?? []) n += name.length + value.length;
  return n;
}
