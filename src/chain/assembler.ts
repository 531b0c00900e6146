// The stateful stage for one input: records in, exchanges and commands out.
// It holds only what is still open (the current command and its exchanges, a
// pending auth request, a traceback being read) and hands finished work to the
// sink, so memory follows what is open, not the length of the log. This file is
// the dispatcher; the four machines are in ./assemble/: exchanges, commands,
// tracebacks and `--timing` tables.
import { CLIENT_PROGRAMS, clientRunArgv, oscDebugRunArgv } from '../core/clients.js';
import { unhandledKind, type LineRecord } from '../core/records.js';
import { maskText } from '../secrets/mask.js';
import { Commands } from './assemble/commands.js';
import type { AssemblerSink, Continuation, IdSource } from './assemble/drafts.js';
import { Exchanges } from './assemble/exchanges.js';
import { ShownTables } from './assemble/shown-tables.js';
import { TimingTable } from './assemble/timing-table.js';
import { FaultJson } from './assemble/fault-json.js';
import { Tracebacks } from './assemble/traceback.js';
import { timestampMs } from '../core/time.js';
import { opensWithTimestamp } from '../lex/prefixes.js';
import { serverFaultOf } from '../lex/matchers.js';
import type { ServerFault } from '../model/schema.js';
import { exitTrapLine, oscWrapperLine, xtraceCommand } from '../core/xtrace.js';

/** The clients other than osc, whose runs' argv name their program (`keystone service-list`). */
const LEGACY_PROGRAMS: ReadonlySet<string> = new Set([...CLIENT_PROGRAMS].filter((p) => p !== 'openstack'));

export type { AssemblerSink, IdSource } from './assemble/drafts.js';

type RecordOf<K extends LineRecord['kind']> = Extract<LineRecord, { kind: K }>;

/** A journald entry with nothing of its own but the journal prefix: the next physical line of a record. */
/**
 * A prefix that only carries a line (a journal entry's, a Zuul job output's: time, host, no level
 * nor logger): each line of a record or body gets one, so such a line goes on with what is open.
 */
function isBarePrefix(p: LineRecord['prefix']): boolean {
  return (
    p !== undefined && (p.style === 'journal' || p.style === 'zuul') && p.logger === undefined && p.level === undefined
  );
}

/**
 * The error osc-lib prints before its traceback: `HttpException: 500: Server Error for url: …`,
 * `openstack.exceptions.ResourceNotFound: No Volume found for vol9`. A dotted or plain class
 * name ending like an exception, a colon, then the message; keystoneauth's ConnectFailure text.
 */
const EXCEPTION_LINE =
  /^(?:[A-Za-z_][\w.]{0,200}(?:Exception|Error|Failure|NotFound|Conflict|Unauthorized|Forbidden|BadRequest|Timeout|Unavailable): |Unable to establish connection to )/;

/** A typed line going on to the next (its last character a backslash): the line without it, else null. */
function continued(typed: string): string | null {
  const t = typed.trimEnd();
  return t.endsWith('\\') ? t.slice(0, -1).trimEnd() : null;
}

/** Whether argv (options skipped) begins with the command's words; an empty argv says nothing against it. */
function startsWithWords(argv: readonly string[], command: string): boolean {
  if (argv.length === 0) return true;
  const words = argv.filter((a) => !a.startsWith('-'));
  return command.split(' ').every((w, i) => words[i] === w);
}

/** client-go's remotecommand error for a command that exited non-zero in a container, as kubectl and oc print it. */
const POD_EXIT_STATUS = /^command terminated with exit code (\d{1,3})$/;

/** A timestamp with a fraction of a second after its seconds (`…:51.231`, `…:51,231`, Apache 2.4's `…:51.874312 2019`). */
const FRACTION = /:\d\d[.,]\d/;

export class Assembler {
  private readonly commands: Commands;
  private readonly exchanges: Exchanges;
  private readonly tracebacks = new Tracebacks();
  private readonly timing = new TimingTable();
  private readonly shown = new ShownTables();
  private readonly faultJson = new FaultJson();
  private continuation: Continuation = null;
  /**
   * A command line typed at a prompt so far, while its last line ends with a backslash: the
   * prompt's line, the words typed (backslashes and `> ` prompts dropped), its last line.
   */
  private typing: { line: number; text: string; last: number } | null = null;
  /**
   * Of a client run traced by a script (an open plain command): its last line of output, whether
   * devstack's osc wrapper around it was seen (its lines are then the run's), and whether the
   * script's exit trap ran right after it (its `local r=$?` is then the run's exit status).
   */
  private traced: { lastOutput: { text: string; line: number } | null; wrapped: boolean; trapped: boolean } = {
    lastOutput: null,
    wrapped: false,
    trapped: false,
  };

  /** `timeOf`: a logged timestamp in ms; year-less ones take the run's year (core/time.ts). */
  constructor(
    source: string,
    ids: IdSource,
    sink: AssemblerSink,
    private readonly timeOf: (timestamp: string) => number | null = timestampMs,
  ) {
    this.commands = new Commands(source, ids, sink, (d, reason) => this.exchanges.finalize(d, reason));
    this.exchanges = new Exchanges(source, ids, this.commands);
  }

  /**
   * Take one record. Returns false when the line is not recognized in context
   * (so the caller counts it), true otherwise.
   */
  push(record: LineRecord, line: number): boolean {
    // A finished command is handed on once no `--timing` table can follow it any more.
    if (
      this.commands.holding &&
      record.kind !== 'table-row' &&
      record.kind !== 'table-border' &&
      record.kind !== 'blank'
    )
      this.commands.release();
    const ms = record.prefix?.timestamp ? this.timeOf(record.prefix.timestamp) : null;
    this.exchanges.nextRecord(ms !== null && !FRACTION.test(record.prefix!.timestamp!));
    this.exchanges.noteRecord(record, this.continuesBody(record));
    if (this.tracebacks.reading && this.takeTraceback(record, line)) return true;
    if (this.typing !== null && this.takeTyped(record, line)) return true;
    if (this.commands.command === null && this.tracesNextCommand(record)) {
      // devstack's osc wrapper returning while no run is open: the paste cut the run's start (its
      // command line); its exit status is known. A run whose start the log does not show, as an
      // `END return value` alone is.
      const returned = oscWrapperLine(record.text)?.returned ?? null;
      if (returned !== null) {
        this.commands.ensureEnding(line);
        return this.takeWrapperLine(returned, line);
      }
    }
    if (this.commands.command?.plain && this.tracesNextCommand(record)) {
      const wrapper = oscWrapperLine(record.text);
      if (wrapper !== null) return this.takeWrapperLine(wrapper.returned, line);
      const trap = exitTrapLine(record.text);
      if (trap === 'called' && !this.traced.trapped) {
        // The script exits right after the run (errexit): the trap's first line tells with what status.
        this.traced.trapped = true;
      } else {
        if (this.traced.trapped && typeof trap === 'number') this.ranWith(trap);
        // The script traced with `set -x` ran its next command: the client run it traced before has ended.
        this.closeCommand(this.commands.command.endLine, null);
        this.continuation = null;
      }
    } else if (this.commands.command?.plain && !this.traced.trapped) {
      const printed = this.outputOfRun(record);
      if (printed) this.traced.lastOutput = { text: printed, line };
      // What the osc run inside devstack's wrapper prints (its stdout went to a variable): its output.
      if (printed !== null && this.traced.wrapped) {
        this.commands.command.endLine = line;
        return true;
      }
    }
    const command = this.commands.command;
    switch (record.kind) {
      case 'req':
        this.exchanges.req(record, line, ms);
        this.continuation = record.bodyTruncated ? 'req-body' : null;
        return true;
      case 'urllib3':
        this.continuation = null;
        this.exchanges.urllib3(record, line, ms);
        return true;
      case 'resp':
        this.exchanges.resp(record, line, ms);
        this.continuation = null;
        return true;
      case 'resp-body':
        this.exchanges.respBody(record, line);
        this.continuation = 'resp-body';
        return true;
      case 'request-id':
        this.continuation = null;
        this.exchanges.requestId(record, line, ms);
        return true;
      case 'auth-request':
        this.exchanges.authRequest(record.url, line, ms);
        this.continuation = null;
        return true;
      case 'json':
        this.exchanges.json(record, line);
        this.continuation = 'json';
        return true;
      case 'start':
        return this.onStart(record, line);
      case 'command': {
        const cmd = this.commands.ensure(line);
        cmd.name = record.name;
        cmd.className = record.className;
        return true;
      }
      case 'clean-up': {
        const cmd = this.commands.ensureEnding(line);
        // osc's class of the command (`AddServerVolume`): what a paste that cut its START and
        // `command:` line still tells of it (its argv and name stay unknown).
        cmd.className ??= record.className;
        if (record.error) cmd.error = maskText(record.error);
        if (record.error) this.exchanges.failedWhileOpen(record.error);
        cmd.endLine = line;
        // A multi-line error message continues on the following lines.
        this.continuation = record.error ? 'error-text' : null;
        return true;
      }
      case 'end':
        return this.onEnd(record, line);
      case 'retry':
        this.continuation = null;
        this.exchanges.retry(record, line);
        return true;
      case 'table-row': {
        this.continuation = null;
        // `server show`'s table: its `fault` row is the server's fault.
        const fault = record.cells.length === 2 && record.cells[0] === 'fault' ? serverFaultOf(record.cells[1]!) : null;
        if (fault) return this.onServerFault(fault, line);
        if (command) command.endLine = line;
        this.timing.row(record, this.commands);
        this.shown.row(record, command, line);
        return true;
      }
      case 'table-border':
        this.continuation = null;
        if (command) command.endLine = line;
        this.shown.border(command);
        return true;
      case 'server-fault':
        this.continuation = null;
        return this.onServerFault(record, line);
      case 'failure-status':
      case 'connection':
      case 'redirect':
      case 'osc':
      case 'run':
      case 'access':
        this.continuation = null;
        if (command) command.endLine = line;
        return true;
      case 'client-error':
        return this.onClientError(record, line);
      case 'usage':
        // Its options wrap onto indented lines; argparse's error for the command line may follow.
        this.continuation = 'usage';
        // Printed before anything else of the run: argparse could not parse its command line.
        if (!command && record.program === 'openstack' && record.command !== '') {
          const started = this.commands.startPlain(line);
          started.name = record.command;
          return true;
        }
        if (command) {
          command.endLine = line;
          // cliff names a command's parser after the command: the usage names the command it printed for.
          if (command.name === null && record.program === 'openstack' && record.command !== '')
            if (startsWithWords(command.argv, record.command)) command.name = record.command;
        }
        return true;
      case 'traceback-start':
        this.tracebacks.start(line);
        return true;
      case 'traceback-frame':
        this.tracebacks.startAtFrame(line);
        return true;
      case 'message':
        // journald writes each physical line of a record as its own entry: a bare entry
        // (no level, no logger) right after a RESP BODY goes on with that body.
        if (this.continuation === 'resp-body' && isBarePrefix(record.prefix) && this.exchanges.bodyOpen) {
          this.exchanges.appendBody(record.text, line);
          return true;
        }
        this.continuation = 'message';
        return true;
      case 'blank':
        if (this.continuation === 'foreign') this.continuation = null;
        return true;
      case 'markup':
        // The end of a pasted code block ends any multi-line body.
        this.continuation = null;
        return true;
      case 'shell':
        return this.onPrompt(record.text, line);
      case 'wire-send':
        this.continuation = null;
        this.exchanges.wireSend(record, line, ms);
        return true;
      case 'wire-reply':
        this.continuation = null;
        this.exchanges.wireReply(record, line, ms);
        return true;
      case 'wire-header':
        this.exchanges.wireHeader(record, line);
        return true;
      case 'indented':
      case 'unrecognized':
        // Another program's dated line (libvirtd's, pasted after a traceback) ends what it
        // follows; it and the lines under it are not read.
        if (record.kind === 'unrecognized' && !record.prefix && opensWithTimestamp(record.text)) {
          this.continuation = 'foreign';
          return false;
        }
        if (this.continuation === 'foreign' && !record.prefix) return false;
        if (command?.plain && record.kind === 'unrecognized' && !record.prefix) {
          // kubectl's (client-go's) word on a command run in a pod (`kubectl exec`, `oc rsh`): its exit status.
          const exited = POD_EXIT_STATUS.exec(record.text);
          if (exited !== null) {
            command.exitCode ??= Number(exited[1]);
            this.closeCommand(line, null);
            return true;
          }
        }
        if (this.continuation !== null && (!record.prefix || isBarePrefix(record.prefix))) {
          if (this.continuation === 'resp-body' && this.exchanges.bodyOpen)
            this.exchanges.appendBody(record.text, line);
          return true;
        }
        if (record.kind === 'unrecognized' && !record.prefix && EXCEPTION_LINE.test(record.text)) {
          // The client's own error report (no request id): the command's error. osc prints it (then
          // its traceback, clean_up, END) after the calls of its command: with no command open, it
          // ends the one whose calls were read since the last closed (a paste that cut its START),
          // or the one typed with --debug at the prompt above.
          const ended = command ?? (this.commands.endsUnopened() ? this.commands.ensureEnding(line) : null);
          if (ended) {
            ended.error ??= maskText(record.text);
            ended.endLine = line;
          }
          this.continuation = 'error-text';
          return true;
        }
        if (record.kind === 'unrecognized' && !record.prefix && this.exchanges.reportsLastFailure(record.text)) {
          // osc's report of the failed call (its error body's message): the command's error.
          if (command) {
            command.error ??= maskText(record.text.trim());
            command.endLine = line;
          }
          this.continuation = 'error-text';
          return true;
        }
        // `server show -f json -c fault`: the fault's JSON, a key a line.
        if (!record.prefix && this.faultJson.take(record.text, line, (f, at) => this.onServerFault(f, at))) return true;
        // `volume show VOL -f value -c status`: its one line is the status.
        if (record.kind === 'unrecognized' && !record.prefix && this.shown.valueLine(command, record.text, line)) {
          command!.endLine = line;
          return true;
        }
        // Indented text in a run without --debug is its output (a table pasted in a code block).
        if (record.kind === 'indented' && command?.plain) {
          command.endLine = line;
          return true;
        }
        // Indented text that continues nothing (a mail's quoted prose) is no more read than unindented.
        return false;
      default:
        return unhandledKind(record);
    }
  }

  /**
   * A line of another source came in between (a service's record, Pebble's or uwsgi's own line):
   * the body, message or error text open here ends, and so do a traceback being read (closed as
   * read so far, into the command) and a command line being typed over several lines: no
   * unprefixed line after it goes on with them. The exchange and command stay open (their next
   * records still come).
   */
  interrupt(): void {
    this.continuation = null;
    this.typedEnd();
    this.tracebacks.flush(this.commands);
  }

  /** End of input: whatever is still open is reported as it stands. */
  end(lastLine: number): void {
    this.typedEnd();
    this.commands.release();
    this.tracebacks.flush(this.commands);
    this.closeCommand(lastLine, 'end of input before `END return value`');
    this.commands.flushLoose('end of input before a response');
  }

  private onStart(r: RecordOf<'start'>, line: number): boolean {
    this.tracebacks.flush(this.commands);
    this.closeCommand(line - 1, 'a new command started before `END return value`');
    this.commands.start(line, r.argv);
    this.exchanges.newCommand();
    this.timing.reset();
    this.continuation = null;
    return true;
  }

  private onEnd(r: RecordOf<'end'>, line: number): boolean {
    this.tracebacks.flush(this.commands);
    const cmd = this.commands.ensureEnding(line);
    cmd.exitCode = r.exitCode;
    cmd.endLine = line;
    // osc prints its `--timing` table after END: a command run with --timing (or whose
    // START line is not in the log) waits for it until a line that is not a table comes.
    this.closeCommand(line, null, cmd.argv.length === 0 || cmd.argv.includes('--timing'));
    return true;
  }

  /**
   * A pasted prompt: it ends the run typed at the one before (a run without --debug has no END
   * line), and a client run typed at it is a command of its own, its output what follows.
   */
  private onPrompt(typed: string, line: number): boolean {
    this.continuation = null;
    const open = this.commands.command;
    if (open?.plain) this.closeCommand(open.endLine, null);
    const head = continued(typed);
    if (head !== null) this.typing = { line, text: head, last: line };
    else this.typedRun(typed, line, line);
    return true;
  }

  /**
   * The whole command line typed at the prompt of `line` (its last typed line `last`): a client run
   * without --debug is a command of its own from that prompt; `openstack --debug …` is what a paste
   * that cut its START still shows of it. Decided on the whole line, as the shell ran it: the
   * --debug (or the pipe) may come on a line after the prompt's.
   */
  private typedRun(typed: string, line: number, last: number): void {
    const argv = clientRunArgv(typed);
    if (argv !== null) {
      this.tracebacks.flush(this.commands);
      this.closeCommand(line - 1, 'a new command started before `END return value`');
      this.commands.startPlain(line, argv).endLine = last;
      this.exchanges.newCommand();
    } else if (!this.commands.command) this.commands.debugPrompt = this.debugRun(typed, line);
  }

  /** A command line being typed over several lines ends here (another record came): it is what was typed. */
  private typedEnd(): void {
    const typing = this.typing;
    this.typing = null;
    if (typing !== null) this.typedRun(typing.text, typing.line, typing.last);
  }

  /** `openstack --debug …` typed at a prompt (its START may be cut from the paste): where and what. */
  private debugRun(typed: string, line: number): { line: number; argv: string[] } | null {
    const argv = oscDebugRunArgv(typed);
    return argv === null ? null : { line, argv };
  }

  /**
   * A line of a command typed over several lines (`openstack token issue \`, then
   * `  --os-username cinder \`…, bash's `> ` before them or not): its words go on the command
   * line, and the line without a backslash ends it. False when the record is not such a line:
   * the typing has ended, with what was typed.
   */
  private takeTyped(record: LineRecord, line: number): boolean {
    const typing = this.typing!;
    if ((record.kind !== 'indented' && record.kind !== 'unrecognized') || record.prefix) {
      this.typedEnd();
      return false;
    }
    const part = record.text.trim();
    const more = continued(part);
    const text = `${typing.text} ${more ?? part}`;
    if (more !== null) this.typing = { line: typing.line, text, last: line };
    else {
      this.typing = null;
      this.typedRun(text, typing.line, line);
    }
    return true;
  }

  /**
   * A server's fault a run printed: its command's. Printed with no command open (the output pasted
   * without its command line), it is a run of its own, as a client's error line alone is.
   */
  private onServerFault(fault: ServerFault, line: number): boolean {
    const command = this.commands.command ?? this.commands.startPlain(line);
    command.fault ??= { code: fault.code, message: maskText(fault.message), created: fault.created, line };
    command.endLine = line;
    return true;
  }

  private onClientError(r: RecordOf<'client-error'>, line: number): boolean {
    // osc's error line without a request id ends its run: shown alone, it is a command's (its usage
    // may follow and name it). A legacy client's `ERROR (…)` alone names no command: none is made.
    // A run without --debug prints one such line: a second one, its run's error already told, is
    // another run's (a devstack log's next failed `openstack …`, its command line not a prompt); so
    // is osc's own line under another client's run (`$ keystone service-list`, then stack.sh's osc).
    // openstacksdk's error naming a call the --debug output showed answered with that status: that
    // call's error, printed again by osc; no run of its own.
    if (r.url !== undefined && this.exchanges.answered(r.status, r.url)) {
      // As any exception line after the calls: it ends the command they belong to (its START cut).
      const ended = this.commands.command ?? (this.commands.endsUnopened() ? this.commands.ensureEnding(line) : null);
      if (ended) {
        ended.error ??= maskText(r.message);
        ended.endLine = line;
      }
      this.continuation = 'error-text';
      return true;
    }
    const open = this.commands.command;
    if (
      r.requestId === null &&
      !r.endsRun &&
      open?.plain &&
      open.line < line &&
      (open.error !== null || (r.osc === true && LEGACY_PROGRAMS.has(open.argv[0] ?? '')))
    )
      this.closeCommand(line - 1, null);
    if (r.requestId === null && !r.endsRun && !this.commands.command) this.commands.startPlain(line);
    this.exchanges.clientError(r, line, null);
    const command = this.commands.command;
    if (command && r.message !== '') {
      command.error ??= maskText(r.message);
      command.endLine = line;
    }
    if (command && r.exitCode !== undefined) command.exitCode ??= r.exitCode;
    if (command && r.argparse === true) command.usageError = true;
    this.continuation = null;
    // A legacy client exits after its `ERROR (…)` line: a run seen without --debug ends there.
    if (command?.plain && r.endsRun) this.closeCommand(line, null);
    return true;
  }

  private closeCommand(line: number, truncatedReason: string | null, hold = false): void {
    this.traced = { lastOutput: null, wrapped: false, trapped: false };
    if (!this.commands.command) return;
    this.commands.close(line, truncatedReason, hold);
    this.exchanges.commandClosed();
  }

  /**
   * A traced line of devstack's osc wrapper around the client run traced before (core/xtrace.ts):
   * part of that run, not the script's next command. Its `return N` is the run's exit status and
   * ends it; a failed run's last line of output (osc's error, on stderr) is its error.
   */
  private takeWrapperLine(returned: number | null, line: number): boolean {
    const command = this.commands.command!;
    command.endLine = line;
    this.continuation = null;
    if (returned === null) {
      this.traced.wrapped = true;
      return true;
    }
    this.ranWith(returned);
    this.closeCommand(line, null);
    return true;
  }

  /** The traced run's exit status, as its wrapper or the script's exit trap told it: a failed run's last line of output is its error. */
  private ranWith(status: number): void {
    const command = this.commands.command!;
    command.exitCode ??= status;
    const output = this.traced.lastOutput;
    if (status === 0 || output === null || command.error !== null) return;
    command.error = maskText(output.text);
    command.endLine = Math.max(command.endLine, output.line);
  }

  /** The text of a line of a run's own output (no record of ostrace's kinds, alone or under a bare prefix), else null. */
  private outputOfRun(record: LineRecord): string | null {
    if (record.prefix !== undefined && !isBarePrefix(record.prefix)) return null;
    if (record.kind === 'blank') return '';
    return record.kind === 'unrecognized' || record.kind === 'message' ? record.text.trim() : null;
  }

  /** An xtrace line of a command other than a client run (`::./stack.sh:738+local project_id=`), alone or under a bare prefix. */
  private tracesNextCommand(record: LineRecord): record is Extract<LineRecord, { kind: 'unrecognized' | 'message' }> {
    return (
      (record.kind === 'unrecognized' || record.kind === 'message') &&
      (record.prefix === undefined || isBarePrefix(record.prefix)) &&
      xtraceCommand(record.text) !== null
    );
  }

  /** A record while a traceback is open; false when it is not part of it (the traceback is then closed). */

  /** Is the record a further line of the response body just read (what `appendBody` takes below)? */
  private continuesBody(record: LineRecord): boolean {
    if (this.continuation !== 'resp-body' || !this.exchanges.bodyOpen) return false;
    if (record.kind === 'message') return isBarePrefix(record.prefix);
    if (record.kind !== 'indented' && record.kind !== 'unrecognized') return false;
    if (record.kind === 'unrecognized' && !record.prefix && opensWithTimestamp(record.text)) return false;
    return !record.prefix || isBarePrefix(record.prefix);
  }
  private takeTraceback(record: LineRecord, line: number): boolean {
    const step = this.tracebacks.take(record, line);
    if (step === 'taken') return true;
    this.tracebacks.flush(this.commands);
    if (step === 'other') return false;
    if (record.kind === 'client-error') this.onClientError(record, line);
    this.continuation = 'error-text';
    return true;
  }
}
