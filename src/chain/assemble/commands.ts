// The command machine: `START with options` … `END return value`. It owns the open
// command and the exchanges made outside any command, and hands a finished command
// with its exchanges to the sink — held back while a `--timing` table may follow.
import { own } from '../own.js';
import type { Command, Exchange } from '../../model/schema.js';
import { maskArgv } from '../../secrets/mask.js';
import type { AssemblerSink, CommandDraft, Draft, Finished, IdSource } from './drafts.js';
import { attachTraceback, type ReadTraceback, type TracebackOwner } from './traceback.js';

export class Commands implements TracebackOwner {
  /** The command being read. */
  command: CommandDraft | null = null;
  /** Exchanges outside any command, waiting for the end of input (their catalog may come later). */
  loose: Draft[] = [];
  /** A traceback read outside any command since the last one closed: the START-cut command's, if its end comes. */
  looseTraceback: ReadTraceback | null = null;
  /**
   * Exchanges of the last finished command, as handed to the sink. osc prints the
   * `--timing` table on stdout, which a pipe buffers until exit: the table then comes
   * after `END return value`, and its rows still belong to that command.
   */
  lastExchanges: Exchange[] = [];
  /**
   * `openstack --debug …` typed at a prompt while no command is open: its START, which would open
   * its command, may have been cut from the paste. Until a START, or another prompt, says otherwise.
   */
  debugPrompt: { line: number; argv: string[] } | null = null;
  /** The command that just ended, with its exchanges, until it is certain no `--timing` table follows. */
  private held: { exchanges: Finished[]; command: Command } | null = null;

  constructor(
    private readonly source: string,
    private readonly ids: IdSource,
    private readonly sink: AssemblerSink,
    private readonly finalize: (d: Draft, reasonIfOpen: string) => Finished,
  ) {}

  get holding(): boolean {
    return this.held !== null;
  }

  /** The exchanges new lines speak of: the open command's, or the loose ones. */
  get drafts(): Draft[] {
    return this.command?.exchanges ?? this.loose;
  }

  /** A new exchange goes to the open command, or waits with the loose ones. */
  add(d: Draft): void {
    if (this.command) this.command.exchanges.push(d);
    else this.loose.push(d);
  }

  /** `START with options`: a command of its own (the caller closed the one before). */
  start(line: number, argv: string[]): void {
    this.debugPrompt = null;
    this.flushLoose();
    this.command = this.newCommand(line, argv);
    this.lastExchanges = [];
  }

  /**
   * The open command, or one opened here for osc's `command: …` line whose START is not in the
   * log. osc prints that line before any call of its command: calls read before it are not its.
   */
  ensure(line: number): CommandDraft {
    if (!this.command) {
      this.flushLoose();
      this.command = this.newCommand(line, []);
    }
    return this.command;
  }

  /**
   * The open command, or one opened for the end of a command whose START is not in the log
   * (osc's `clean_up …` or `END return value`: the tail of `openstack --debug` output pasted).
   * osc prints every line of a command between its START and its END, so the calls read since
   * the last command closed are this one's: it carries them, its argv unknown (empty). It starts
   * at the first of them, the first line the log shows of it: a line before that may be anyone's
   * (prose, a prompt, the last command's `--timing` table), and its START is before the log.
   * A traceback read since is its too (osc prints a failed command's just before its clean_up).
   * Its end (or its error line) also ends a run typed as `openstack --debug …` at a prompt since
   * (the START cut from the paste): the command starts at that prompt, with the argv typed there,
   * and the calls read before that prompt are another run's.
   */
  ensureEnding(line: number): CommandDraft {
    if (this.command) return this.command;
    this.release();
    const typed = this.debugPrompt;
    this.debugPrompt = null;
    if (typed) {
      const before = this.loose.filter((d) => d.line < typed.line);
      this.loose = this.loose.filter((d) => d.line >= typed.line);
      for (const d of before) this.emit(this.finalize(d, 'no response logged'));
      if (this.looseTraceback && this.looseTraceback.line < typed.line) this.looseTraceback = null;
    }
    const tb = this.looseTraceback;
    const first = Math.min(this.loose[0]?.line ?? line, tb?.line ?? line);
    const cmd = this.newCommand(typed ? typed.line : first, typed ? typed.argv : []);
    for (const d of this.loose) d.command = cmd.id;
    cmd.exchanges = this.loose;
    if (tb) attachTraceback(cmd, tb);
    this.loose = [];
    this.looseTraceback = null;
    this.command = cmd;
    return cmd;
  }

  /**
   * Whether an osc run's end read with no command open ends one: calls were read since the last
   * command closed, or `openstack --debug …` was typed at a prompt since. Else it is no command's.
   */
  endsUnopened(): boolean {
    return this.command === null && (this.loose.length > 0 || this.debugPrompt !== null);
  }

  /** A run without --debug, seen by its prompt or its error line: a command of its own from that line on. */
  startPlain(line: number, argv: string[] = []): CommandDraft {
    this.debugPrompt = null;
    this.flushLoose();
    this.command = { ...this.newCommand(line, argv), plain: true };
    this.lastExchanges = [];
    return this.command;
  }

  close(line: number, truncatedReason: string | null, hold = false): void {
    const cmd = this.command;
    if (!cmd) return;
    this.release();
    this.command = null;
    this.debugPrompt = null;
    const finished = cmd.exchanges.map((d) =>
      this.finalize(d, truncatedReason ? 'end of the command before a response' : 'no response logged'),
    );
    this.lastExchanges = finished.map(([x]) => x);
    this.held = {
      exchanges: finished,
      command: {
        id: cmd.id,
        source: this.source,
        line: cmd.line,
        endLine: Math.max(cmd.endLine, line),
        argv: cmd.argv.map((a) => own(a)),
        name: own(cmd.name),
        className: own(cmd.className),
        exitCode: cmd.exitCode,
        complete: truncatedReason === null || cmd.plain,
        error: own(cmd.error),
        traceback: cmd.traceback ? { ...cmd.traceback, error: own(cmd.traceback.error) } : null,
        exchanges: cmd.exchanges.map((d) => d.id),
        ...(cmd.shows
          ? { shows: cmd.shows.map((x) => ({ ...x, id: own(x.id), name: own(x.name), status: own(x.status) })) }
          : {}),
        ...(cmd.fault
          ? { fault: { ...cmd.fault, message: own(cmd.fault.message), created: own(cmd.fault.created) } }
          : {}),
        ...(cmd.usageError ? { usageError: true as const } : {}),
      },
    };
    if (!hold) this.release();
  }

  /** Hand the last finished command and its exchanges to the sink. */
  release(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    for (const [x, detail] of held.exchanges) this.sink.exchange(x, detail);
    this.sink.command(held.command);
  }

  /** Hand on the exchanges made outside any command. */
  flushLoose(reasonIfOpen = 'no response logged'): void {
    this.release();
    for (const d of this.loose) this.emit(this.finalize(d, reasonIfOpen));
    this.loose = [];
    // A traceback no command's end claimed (a legacy client's, one before a START) stays no command's.
    this.looseTraceback = null;
  }

  private emit([exchange, detail]: Finished): void {
    this.sink.exchange(exchange, detail);
  }

  private newCommand(line: number, argv: string[]): CommandDraft {
    return {
      id: this.ids.nextCommandId(),
      line,
      endLine: line,
      argv: maskArgv(argv),
      name: null,
      className: null,
      exitCode: null,
      error: null,
      traceback: null,
      exchanges: [],
      plain: false,
      usageError: false,
      fault: null,
    };
  }
}
