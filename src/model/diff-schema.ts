// `ostrace diff BASE HEAD` (owned by src/diff/): two runs compared by what they did,
// not by their ids — flow instances matched by flow, variant and command; HTTP errors
// and finding kinds by what they are; latency by endpoint template.
import * as z from '../core/zod.js';
import { FlowStepResult } from './flow-schema.js';

const StepStatus = z.nullable(FlowStepResult.shape.status);

const Place = { source: z.nullable(z.string()), line: z.nullable(z.number().check(z.int())) };

export const FlowSide = z.object({
  verdict: z.enum(['complete', 'incomplete', 'failed']),
  command: z.nullable(z.number().check(z.int())).check(z.describe("The command's id on its side")),
  requestId: z.nullable(z.string()),
  ...Place,
});

export const StepChange = z.object({
  step: z.string(),
  change: z
    .enum(['failed', 'missing', 'new', 'changed', 'fixed'])
    .check(
      z.describe(
        'failed: went well in BASE, failed in HEAD; missing: happened in BASE, not in HEAD; new: only HEAD has it (a rollback); changed: another status; fixed: failed or missing in BASE, fine in HEAD',
      ),
    ),
  base: StepStatus.check(z.describe('Its status in BASE (null: not on the route)')),
  head: StepStatus,
  message: z.nullable(z.string()).check(z.describe("HEAD's message for the step, else BASE's")),
  ...Place,
});
export type StepChange = z.infer<typeof StepChange>;

export const FlowDiff = z.object({
  flow: z.string(),
  variant: z.nullable(z.string()),
  command: z
    .nullable(z.string())
    .check(z.describe('The command name the instance belongs to (`server add volume`), null when none')),
  occurrence: z
    .number()
    .check(
      z.int(),
      z.describe('1 for the first instance of this flow, variant and command on a side, 2 for the next…'),
    ),
  match: z.enum(['matched', 'base-only', 'head-only']),
  base: z.nullable(FlowSide),
  head: z.nullable(FlowSide),
  firstDivergence: z.nullable(StepChange).check(z.describe('The first step (in HEAD order) whose status differs')),
  steps: z.array(StepChange).check(z.describe('Every step whose status differs')),
  worse: z.boolean(),
});
export type FlowDiff = z.infer<typeof FlowDiff>;

export const HttpErrorDiff = z.object({
  side: z.enum(['client', 'server']),
  service: z.nullable(z.string()),
  method: z.nullable(z.string()),
  template: z.nullable(z.string()),
  status: z.number().check(z.int()),
  base: z.number().check(z.int(), z.describe('How many such errors BASE had')),
  head: z.number().check(z.int()),
  error: z.nullable(z.string()).check(z.describe("The first HEAD exchange's error text (secrets masked)")),
  requestId: z.nullable(z.string()),
  ...Place,
});
export type HttpErrorDiff = z.infer<typeof HttpErrorDiff>;

export const FindingKindDiff = z.object({
  ruleId: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  base: z.number().check(z.int()),
  head: z.number().check(z.int()),
  message: z.string().check(z.describe("The first HEAD finding's message")),
  ...Place,
});
export type FindingKindDiff = z.infer<typeof FindingKindDiff>;

const Timing = z.object({ timed: z.number().check(z.int()), p50: z.number(), p95: z.number() });

export const LatencyShift = z.object({
  side: z.enum(['client', 'server']),
  service: z.string(),
  method: z.string(),
  template: z.string(),
  base: Timing,
  head: Timing,
  p50Ratio: z.nullable(z.number()).check(z.describe('HEAD p50 / BASE p50 (null when BASE is 0 and HEAD is not)')),
  p95Ratio: z.nullable(z.number()),
});
export type LatencyShift = z.infer<typeof LatencyShift>;

const Side = z.object({
  inputs: z.array(z.string()),
  nothingToJudge: z
    .nullable(z.object({ lines: z.number().check(z.int()), unrecognized: z.number().check(z.int()) }))
    .check(
      z.describe(
        "Set when the side's logs show no OpenStack command, HTTP call, operation step or service request (an empty capture, junk): their lines, and how many were unrecognized",
      ),
    ),
});

export const DiffResult = z.object({
  base: Side,
  head: Side,
  worse: z
    .nullable(z.boolean())
    .check(
      z.describe(
        'HEAD is worse: a new failure, a missing step or a new error; null when HEAD has nothing to judge (whether it is worse is unknown, and diff exits 1)',
      ),
    ),
  reasons: z.array(z.string()).check(z.describe('Why HEAD is worse, one line each')),
  flows: z.array(FlowDiff).check(z.describe('Matched instances that differ, and instances of one side only')),
  matchedFlows: z.number().check(z.int(), z.describe('Flow instances matched across the sides')),
  newHttpErrors: z
    .array(HttpErrorDiff)
    .check(z.describe('Errors some rule reported in HEAD whose kind BASE never had')),
  newFindingKinds: z.array(FindingKindDiff).check(z.describe('Rules that fired in HEAD and not in BASE')),
  latency: z.array(LatencyShift).check(z.describe('Endpoints timed on both sides, largest relative p50 shift first')),
});
export type DiffResult = z.infer<typeof DiffResult>;
