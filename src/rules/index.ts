// The rule registry: explicit and sorted by id, no scanning of the file system.
// known-bug/* rules come from data (grammars/known-bugs.json) and are appended sorted.
import type { AnyRule } from '../engine/types.js';
import { deprecatedApiRule } from './api/deprecated.js';
import { instanceActionError } from './api/instance-action-error.js';
import { serverFault } from './api/server-fault.js';
import { commandFailed } from './command/failed.js';
import { leftInError } from './command/left-in-error.js';
import { attachRolledBack } from './flow/attach-rolled-back.js';
import { detachLeftInUse } from './flow/detach-left-in-use.js';
import { captureMismatch } from './flow/capture-mismatch.js';
import { causedByResourceState } from './flow/caused-by-resource-state.js';
import { failedStep } from './flow/failed-step.js';
import { missingStep } from './flow/missing-step.js';
import { outOfOrder } from './flow/out-of-order.js';
import { unexpectedStep } from './flow/unexpected-step.js';
import { versionGuard } from './flow/version-guard.js';
import { serverError } from './http/server-error.js';
import { unexpectedClientError } from './http/unexpected-client-error.js';
import { knownBugRules } from './known-bug/signatures.js';
import { longLine } from './log/long-line.js';
import { truncatedExchange } from './log/truncated-exchange.js';
import { unrecognizedLines } from './log/unrecognized-lines.js';
import { retried } from './net/retried.js';
import { slowCall } from './perf/slow-call.js';
import { errorLogged } from './service/error-logged.js';
import { clearToken } from './secret/clear-token.js';
import { password } from './secret/password.js';
import { clockSkew } from './time/clock-skew.js';
import { timeOutOfOrder } from './time/out-of-order.js';

export const coreRules: readonly AnyRule[] = [
  deprecatedApiRule,
  instanceActionError,
  serverFault,
  commandFailed,
  leftInError,
  attachRolledBack,
  detachLeftInUse,
  captureMismatch,
  causedByResourceState,
  failedStep,
  missingStep,
  outOfOrder,
  unexpectedStep,
  versionGuard,
  serverError,
  unexpectedClientError,
  longLine,
  truncatedExchange,
  unrecognizedLines,
  retried,
  slowCall,
  errorLogged,
  clearToken,
  password,
  clockSkew,
  timeOutOfOrder,
];

let cache: readonly AnyRule[] | null = null;

/** Every rule, sorted by id. */
export function allRules(): readonly AnyRule[] {
  cache ??= [...coreRules, ...knownBugRules()].sort((a, b) =>
    a.meta.id < b.meta.id ? -1 : a.meta.id > b.meta.id ? 1 : 0,
  );
  return cache;
}
