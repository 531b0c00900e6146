// The words of an explanation: a title and one paragraph, from its facts. What was
// asked and what the client saw; where it first went wrong; what followed; where to
// look next; which log would settle it.
import { CLIENT_PROGRAMS } from '../core/clients.js';
import type { ExplainedCall, Explanation } from '../model/explain-schema.js';
import type { LoggedOperation, StoryFacts } from './story.js';
import { causeAdvice } from '../rules/flow/caused-by-resource-state.js';
import { shellLine } from '../core/shell-words.js';
import { argparseNext } from './argparse.js';

function at(source: string | null, line: number | null): string {
  return source === null ? '' : `${source}${line === null ? '' : `:${line}`}`;
}

/** A call this slow is told as a wait (a 60 s RPC timeout is the usual one). */
const SLOW_MS = 10_000;

/** What the client's later read of an accepted operation's volume tells, after "shows it `STATE`". */
const UNDONE_BY: Record<'attach' | 'detach' | 'other', string> = {
  attach: ', not `in-use`: the attach failed after the API answered and was rolled back',
  detach: ', not `available`: the detach failed on the compute host after the API answered and was rolled back',
  other: ': the operation failed after the API answered',
};

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function callText(c: ExplainedCall): string {
  // A client's error line alone names no method or path: a request, answered.
  const what = c.call ?? ([c.method, c.path].filter(Boolean).join(' ') || 'a request');
  // A step read from a log line, not a call: it has no response to tell.
  if (c.method === null && c.exchange === null && c.status === null) return `"${what}"`;
  const status = c.status === null ? 'no response' : `HTTP ${c.status}`;
  return `${what} → ${status}`;
}

/** What a command's title calls it when the log shows neither its command line nor its name (its START cut). */
const START_UNSEEN = 'a command whose start the log does not show';

/** A command as a sentence opens with it: its command line, or what the log shows of it. */
function commandText(c: NonNullable<Explanation['command']>): string {
  const argv = c.argv.filter((a) => a !== '--debug').join(' ');
  if (argv === '' && c.name === null) return `A${START_UNSEEN.slice(1)}`;
  // A legacy client's run keeps its program first (`nova reboot …`).
  const program = c.argv[0] !== 'openstack' && CLIENT_PROGRAMS.has(c.argv[0] ?? '') ? '' : 'openstack ';
  return `\`${program}${argv || (c.name ?? '')}\``;
}

/** A call the log names by neither method, path nor step (a client's error line alone). */
const unnamed = (c: ExplainedCall) => c.call === null && !c.method && !c.path;

const failed = (c: ExplainedCall | null) => c !== null && c.status !== null && c.status >= 400;

/** An exception line's class without its module path, and the start of its text. */
function shortError(text: string): string {
  const one = text.replace(/^(?:[A-Za-z_]\w*\.)+(?=[A-Z]\w*(?::|$))/, '');
  return one.length > 100 ? `${one.slice(0, 99)}…` : one;
}

export function titleOf(f: StoryFacts): string {
  // A service's ERROR record no call or flow tells: what it logged is the title.
  const logged = f.loggedError;
  const op = f.loggedOperation;
  // The record is a flow's failure step: the operation and the step lead.
  if (logged && f.loggedStep)
    return `${stepOperationText(f)} failed at ${logged.service ?? f.loggedStep.observer} "${f.loggedStep.title}": ${loggedWhat(logged, f.firstError?.error)}`;
  // The record's request names its operation: which attach or detach failed leads.
  if (logged && op)
    return `${operationText(op)} failed in ${logged.service ?? op.service ?? 'a service'}: ${loggedWhat(logged, f.firstError?.error)}`;
  // Else the volume operation its traceback went through (a paste cut before the record's message).
  if (logged)
    return `${logged.service ?? 'a service'} logged ${logged.level}${logged.method ? ` in ${logged.method.slice(logged.method.lastIndexOf('.') + 1)}${namedOf(logged)}` : ''}: ${loggedWhat(logged, f.firstError?.error)}`;
  // A failed call no command or flow accounts for: the call is the title.
  if (f.command === null && f.flows.length === 0 && f.firstError) {
    const e = f.firstError;
    // A call the log names only by its answer (a client's error line): the answer is the title.
    if (unnamed(e) && e.error)
      return `${e.status !== null ? `HTTP ${e.status}${e.service ? ` (${e.service})` : ''}: ` : ''}${shortError(e.error)}`;
    return `${callText(e)}${e.service ? ` (${e.service})` : ''}`;
  }
  const named = f.command ? (f.command.name ?? shellLine(f.command.argv)) : '';
  const what = f.command ? (named === '' ? START_UNSEEN : `\`${named}\``) : (f.flows[0]?.flow ?? 'a call');
  const saw =
    f.command && f.command.exitCode !== null
      ? `exit ${f.command.exitCode}${f.clientCall?.status != null ? `, HTTP ${f.clientCall.status}` : ''}`
      : f.clientCall?.status != null
        ? `HTTP ${f.clientCall.status}`
        : null;
  const e = f.firstError;
  // argparse refused the command line: the command never ran, its message is what went wrong.
  if (f.command?.usageError && f.command.error)
    return `${what}${saw ? ` (${saw})` : ''} stopped in its argument parsing: ${shortError(f.command.error)}`;
  // Nothing else went wrong: the server's fault nova recorded is the problem.
  const fault = f.serverFault;
  if (fault && !e && !f.command?.error && (f.command?.exitCode ?? 0) === 0)
    return `${what}${saw ? ` (${saw})` : ''} showed ${fault.server ? `server ${fault.server}'s` : "a server's"} fault: ${fault.code} ${shortError(fault.message)}`;
  const where = e
    ? f.recovered
      ? `recovered: ${e.service ? `${e.service} ` : ''}${callText(e)}, re-sent and answered HTTP ${f.recovered.status}`
      : unnamed(e) && e.error
        ? `failed${e.status !== null && saw === null ? ` with HTTP ${e.status}` : ''}${e.service ? ` at ${e.service}` : ''}: ${shortError(e.error)}`
        : `failed at ${e.service ? `${e.service} ` : ''}${callText(e)}`
    : f.undone
      ? f.undone.rolledBack
        ? 'was rolled back after the API accepted it'
        : `left ${f.undone.observed.resource} ${f.undone.observed.name ?? f.undone.observed.resourceId} \`${f.undone.observed.state}\` after the API accepted it`
      : f.firstMissing
        ? f.firstMissing.notShown === true
          ? `could not be followed: ${f.firstMissing.title ?? f.firstMissing.step} is not shown in this log`
          : unseen(f)
            ? `could not be followed (no ${f.firstMissing.observer} log)${loggedOnTheWay(f) ?? `: ${f.firstMissing.title ?? f.firstMissing.step} is not in the logs given`}`
            : `did not finish: ${f.firstMissing.title ?? f.firstMissing.step} never happened`
        : f.command?.error
          ? // No call failed: the client's own error is what went wrong.
            `failed${acceptedThenFailed(f) ? ' in the client after the API accepted its call' : ''}: ${shortError(f.command.error)}`
          : 'failed';
  return `${what}${saw ? ` (${saw})` : ''} ${where}`;
}

/** A record opened on a traceback's frame or a frame's indented source line: a paste cut inside it. */
const opensInTraceback = (l: NonNullable<StoryFacts['loggedError']>) => /^(?:File "|\s)/.test(l.message);

/** A record opened inside its traceback and cut before the exception: no message of its own to tell. */
const openedOnFrame = (l: NonNullable<StoryFacts['loggedError']>) => l.exception === null && opensInTraceback(l);

/** What a logged error says: its exception or message, or that its traceback is cut before its exception. */
function loggedWhat(l: NonNullable<StoryFacts['loggedError']>, error: string | undefined | null): string {
  return openedOnFrame(l) ? 'a traceback, cut before its exception' : shortError(error ?? l.message);
}

/** `attach of volume V to server S at /dev/vdb`: what the operation's markers name, unknown parts left out. */
function operationText(op: LoggedOperation): string {
  const link = op.verb === 'attach' ? 'to' : op.verb === 'detach' ? 'from' : 'on';
  return `${op.verb} of volume ${op.volume ?? '(not named)'}${op.instance ? ` ${link} server ${op.instance}` : ''}${op.device ? ` at ${op.device}` : ''}`;
}

/** ` (volume V, server S, /dev/vdb)`: what the records of the request name, '' when nothing. */
function namedOf(
  names: { volume?: string | null; instance?: string | null; device?: string | null } | null | undefined,
): string {
  const named = [
    names?.volume ? `volume ${names.volume}` : null,
    names?.instance ? `server ${names.instance}` : null,
    names?.device ?? null,
  ].filter(Boolean);
  return named.length > 0 ? ` (${named.join(', ')})` : '';
}

/** `volume attach (volume V, server S, /dev/vdb)`: the failed step's flow title, with what the records name. */
function stepOperationText(f: Pick<StoryFacts, 'loggedStep' | 'loggedOperation' | 'loggedError'>): string {
  const op = f.loggedOperation;
  const logged = f.loggedError;
  return `${f.loggedStep!.flowTitle}${namedOf({
    volume: op?.volume ?? logged?.volume,
    instance: op?.instance ?? logged?.instance,
    device: op?.device,
  })}`;
}

/** The command's call went through (a 2xx), and the client failed on the answer. */
function acceptedThenFailed(f: Pick<StoryFacts, 'acceptedLast' | 'clientCall'>): boolean {
  const cc = f.clientCall;
  return f.acceptedLast !== null || (cc !== null && cc.status !== null && !failed(cc));
}

/** An ERROR a service logged for an operation that could not be followed: what its title leads with. */
function loggedOnTheWay(f: Pick<StoryFacts, 'followed'>): string | null {
  const logged = f.followed.find((x) => x.kind === 'error-log');
  return logged ? `, and ${shortError(logged.text)}` : null;
}

/**
 * Its first missing step is one a log not given would show (cinder-api's, with cinder-volume's
 * log alone): not seen is not "never happened" — the operation may well have finished.
 */
function unseen(f: Pick<StoryFacts, 'firstMissing' | 'missingLogs'>): boolean {
  return f.firstMissing !== null && f.missingLogs.includes(f.firstMissing.observer);
}

/** The record, its traceback's exception and how often it recurs: what a service alone tells of a problem. */
function loggedSentence(
  l: NonNullable<StoryFacts['loggedError']>,
  error: string | null,
  call: StoryFacts['loggedCall'],
  named: boolean,
  /** A flow's failure step names the operation, not the method its traceback went through. */
  stepNamed = false,
): string {
  const ids = [
    l.requestId ? `request id ${l.requestId}` : null,
    l.globalRequestId && l.globalRequestId !== l.requestId ? `global ${l.globalRequestId}` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const ended =
    l.exception !== null && l.exception !== l.message && error !== null ? ` Its traceback ended with "${error}".` : '';
  const more = l.count > 1 ? ` It logged ${l.count} records of this kind, the last at line ${l.lastLine}.` : '';
  const through = named || !l.method ? '' : ` Its traceback went through ${l.method}${namedOf(l)}.`;
  const cut = openedOnFrame(l)
    ? ' The record opens inside its traceback and is cut before the exception.'
    : opensInTraceback(l)
      ? ' The record opens inside its traceback: its message was cut off.'
      : '';
  return `${l.service ?? 'A service'} logged ${l.level}${l.logger ? ` (${l.logger})` : ''} at ${at(l.source, l.line)}${ids ? `, ${ids}` : ''}: "${cutText(l.message)}".${ended}${cut}${through}${more} ${
    call
      ? `It quotes the answer to its own call: HTTP ${call.status ?? '?'}${call.requestId ? `, request id ${call.requestId} of ${call.service ?? 'the service it called'}` : ''}, which no given log shows: ${call.service ? `${call.service}'s` : "that service's"} log tells why.`
      : `No call${named || stepNamed || l.method ? '' : ' or operation'} in the given logs tells more of it.`
  }`;
}

function cutText(text: string): string {
  return text.length > 240 ? `${text.slice(0, 239)}…` : text;
}

const noCall = (f: StoryFacts) =>
  f.command !== null && f.clientCall === null && f.acceptedLast === null && f.firstError === null;

/**
 * A command line argparse refused: where, argparse's message, and what it asked for. Its name alone
 * (argparse's usage names it; the command line is not in the output) is told as no more than that.
 */
function usageErrorText(c: NonNullable<Explanation['command']>): string {
  const unseenArgs = c.argv.length === 0 && c.name !== null ? '; its arguments are not in the log' : '';
  // osc logs `END return value: 1` for it with --debug, whatever argparse's own exit 2 was.
  const exit =
    c.exitCode === 2 ? ' (exit 2)' : c.exitCode !== null ? ` (osc logged \`END return value: ${c.exitCode}\`)` : '';
  return `${commandText(c)} (${at(c.source, c.line)}${unseenArgs}) stopped in its argument parsing, before the command ran${exit}: argparse's error "${c.error}". ${argparseNext(c.error ?? '')}`;
}

/** A server's fault as nova recorded it, and where its logs say why. */
function faultText(fault: NonNullable<StoryFacts['serverFault']>): string {
  const server = fault.server ? `server ${fault.server}` : 'the server';
  return `The fault of ${server} (${at(fault.source, fault.line)}): ${fault.code} "${cutText(fault.message)}"${fault.created ? `, recorded ${fault.created}` : ''}: nova's record of why the server went to ERROR. Next: look up ${fault.server ?? "the server's id"} in nova's logs (nova-conductor, nova-scheduler, nova-compute)${fault.created ? ` around ${fault.created}` : ''}, which tell why.`;
}

/** cliff's `_SIGINT_EXIT`: the status of a command stopped by Ctrl-C (KeyboardInterrupt). */
const INTERRUPTED_EXIT = 130;

export function paragraphOf(f: StoryFacts): string {
  const out: string[] = [];
  const step = f.loggedStep;
  if (f.loggedError && step)
    out.push(
      `The ${stepOperationText(f)} failed in ${f.loggedError.service ?? step.observer}: its record is the step "${step.title}" (${step.step}) of ${step.flow}, whose start is in none of the given logs.`,
    );
  else if (f.loggedError && f.loggedOperation)
    out.push(
      `The ${operationText(f.loggedOperation)} failed in ${f.loggedError.service ?? f.loggedOperation.service ?? 'a service'}.`,
    );
  if (f.loggedError)
    out.push(
      loggedSentence(
        f.loggedError,
        f.firstError?.error ?? null,
        f.loggedCall,
        Boolean(f.loggedOperation) && !step,
        Boolean(step),
      ),
    );
  const cc = f.clientCall;
  const e = f.firstError;
  // The client's own call went wrong first (no service log says more): told once.
  const sameCall = e !== null && cc !== null && e.exchange !== null && e.exchange === cc.exchange;
  const slow = (c: ExplainedCall) =>
    c.durationMs !== null && c.durationMs >= SLOW_MS ? ` after ${seconds(c.durationMs)}` : '';
  // What was asked and what the client saw.
  if (f.command?.usageError && f.command.error) out.push(usageErrorText(f.command));
  else if (f.command) {
    const c = f.command;
    // No END line: the log stops (or another command starts) before it, not that the command hung.
    // cliff's exit status for a KeyboardInterrupt: the user stopped it, often a call that hung.
    const interrupted = c.exitCode === INTERRUPTED_EXIT;
    const exit =
      c.exitCode !== null
        ? ` exited ${c.exitCode}${interrupted ? ' (interrupted: Ctrl-C)' : ''}`
        : f.commandEnded
          ? ' ran (its exit status is not in the log: no --debug)'
          : ': its end is not in the log';
    let asked = `${commandText(c)} (${at(c.source, c.line)})${exit}`;
    if (cc) {
      asked += `; its ${[cc.method, cc.path].filter(Boolean).join(' ') || 'request'} got ${cc.status === null ? (interrupted ? 'no response before it was interrupted' : 'no response') : `HTTP ${cc.status}`}${sameCall ? slow(cc) : ''}${cc.requestId ? ` (request id ${cc.requestId})` : ''}`;
      // What the client was told, when the first error does not say it already.
      if (cc.error && (sameCall || cc.error !== e?.error)) asked += `: "${cc.error}"`;
      // Its call was accepted and the client failed anyway: retrying repeats what went through.
      else if (c.error && c.exitCode !== 0 && !failed(cc))
        asked += `, then the client failed on the answer: "${c.error}"; the request went through`;
    }
    // The command's own error line, when no call told the client why.
    else if (c.error && c.exitCode !== 0) {
      asked += `: "${c.error}"`;
      const ok = f.acceptedLast;
      // Retrying such a command repeats an operation that already went through.
      if (ok)
        asked += `, after its last call, ${ok.method ?? ''} ${ok.path ?? ''}, was accepted (HTTP ${ok.status}${ok.requestId ? `, request id ${ok.requestId}` : ''}): the request went through and the client failed on the answer`;
    }
    asked += '.';
    // A command whose only missing steps are ones it got past that the log leaves out did not fail in the services.
    const excerpt = f.firstMissing?.notShown === true && f.flows.every((x) => x.verdict !== 'failed');
    const quietFailure = c.exitCode === 0 && !failed(cc) && !excerpt && f.flows.some((x) => x.verdict !== 'complete');
    const undone = f.undone;
    if (undone) {
      const o = undone.observed;
      asked += ` The client was told it worked, but its later read of ${o.resource} ${o.name ?? o.resourceId} (${at(o.source, o.line)}) shows it \`${o.state}\`${UNDONE_BY[undone.rolledBack ?? 'other']}.`;
    } else if (quietFailure)
      asked += ` The client was told it worked, but the ${f.flows.find((x) => x.verdict !== 'complete')!.flow} operation ${f.flows.some((x) => x.verdict === 'failed') ? 'failed' : 'did not finish'} afterwards in the services.`;
    out.push(asked);
    if (f.serverFault) out.push(faultText(f.serverFault));
  } else if (f.flows[0]) {
    const fl = f.flows[0];
    const outcome = fl.verdict === 'failed' ? 'failed' : unseen(f) ? 'could not be followed' : 'did not finish';
    out.push(
      `A ${fl.flow} operation${fl.requestId ? ` (request id ${fl.requestId})` : ''} ${outcome}; no client log of it was given.`,
    );
  } else if (cc) {
    const ids = [at(cc.source, cc.line), cc.requestId ? `request id ${cc.requestId}` : null].filter(Boolean).join(', ');
    out.push(
      `The client's ${[cc.method, cc.path].filter(Boolean).join(' ') || 'request'} got ${cc.status === null ? 'no response' : `HTTP ${cc.status}`}${slow(cc)} (${ids})${cc.error ? `: "${cc.error}"` : ''}.`,
    );
  }
  // Where it first went wrong (unless that is the client's own call or the logged record, told above).
  if (e && !sameCall && !f.loggedError) {
    const ids = [
      e.requestId ? `request id ${e.requestId}` : null,
      e.globalRequestId && e.globalRequestId !== e.requestId ? `global ${e.globalRequestId}` : null,
    ]
      .filter(Boolean)
      .join(', ');
    out.push(
      `It first went wrong at ${e.service ?? 'a service'}: ${callText(e)}${slow(e)} (${[at(e.source, e.line), ids].filter(Boolean).join(', ')})${e.error ? `: "${e.error}"` : ''}.`,
    );
  } else if (f.firstMissing) {
    const m = f.firstMissing;
    const step = `${m.title ?? m.step} (${m.call ? `${m.call} on ${m.observer}` : `a ${m.observer} log line`})`;
    out.push(
      m.notShown === true
        ? `Not shown: ${step}, which the command got past (${f.command?.exitCode === 0 ? 'it exited 0' : 'the log shows a later step of it, not how it ended'}): this log leaves it out (an excerpt, or lines cut from it).`
        : unseen(f)
          ? `Not seen: ${step}, which the ${m.observer} log would show; that log was not given.`
          : `It never finished: ${step} never happened${m.after ? ` after ${m.after}` : ''}.`,
    );
  }
  // Why it was refused: an earlier operation left the resource in a state this call cannot run in.
  if (f.cause) {
    const c = f.cause;
    out.push(
      `It was refused because an earlier ${c.flow.includes('/') ? c.flow : `\`${c.flow}\``} operation left ${c.resource} ${c.resourceId} \`${c.state}\` (${[at(c.source, c.line), c.requestId ? `request id ${c.requestId}` : null].filter(Boolean).join(', ')}): ${causeAdvice(c)}.`,
    );
  }
  // What followed.
  const then = f.followed;
  if (then.length > 0)
    out.push(`Then: ${then.map((x) => `${x.text}${x.source ? ` (${at(x.source, x.line)})` : ''}`).join('; ')}.`);
  if (f.resource) {
    const r = f.resource;
    const told = (list: typeof r.states) =>
      list.map((x) => `\`${x.status}\` (${at(x.source, x.line)})`).join(', then ');
    const when = (w: (typeof r.states)[number]['when']) => r.states.filter((x) => x.when === w);
    const parts =
      f.command === null
        ? [told(r.states)]
        : [
            when('before').length > 0 ? `${told(when('before'))} before the command` : '',
            when('during').length > 0 ? `${told(when('during'))} during it` : '',
            when('after').length > 0 ? `after the command ${told(when('after'))}` : '',
          ].filter(Boolean);
    out.push(`The client saw ${r.type} ${r.name ?? r.id} ${parts.join(', and ')}.`);
  }
  // Where to look next, and what was not given.
  if (f.grep.length > 0)
    out.push(
      `Next: look up ${f.grep.map((g) => `${g.id}${g.logs.length > 0 ? ` in ${g.logs.join(', ')}` : ''}`).join('; ')}.`,
    );
  if (f.missingLogs.length > 0)
    out.push(
      `Not given: the ${f.missingLogs.join(', ')} log${f.missingLogs.length === 1 ? '' : 's'}, which would show what happened there.`,
    );
  // A command that made no call (a usage or credentials error) has nothing in a service's log.
  else if (!f.serviceLogsGiven && !f.loggedError && !noCall(f) && !f.command?.usageError)
    out.push('Only client output was given: the service logs would show where it failed.');
  // Run without --debug, it printed its error alone: the calls before it are not in the output.
  if (noCall(f) && f.command?.exitCode === null && f.commandEnded && !f.serverFault)
    out.push(
      f.undone
        ? // No error to log up to: the calls' request ids are what the services' logs are searched by.
          'Next: run it again with `--debug`, which logs every call it makes and the request ids to look up in those logs.'
        : 'Next: run it again with `--debug`, which logs every call it makes up to the error.',
    );
  return out.join(' ');
}
