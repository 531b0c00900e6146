// The flow instances of one run, as diff pairs them: each with its flow, variant and command
// name (its key), its flow and command (its kind), the command line as typed and its occurrence
// among its key. Two long runs hold tens of thousands of flow results of a few KB each: what is
// kept of an instance is a few numbers in columns (its key and kind as interned ids, the hash of
// its command line), and its flow result is parked in a file past a budget (json-store.ts), read
// back when the pair it is in is told; a command line is read back to check a hash match.
import type { FlowResult } from '../model/flow-schema.js';
import type { RunResult } from '../model/schema.js';
import { column, grownColumn } from '../core/columns.js';
import { hashKey } from '../core/key-index.js';
import { flowsByCommand } from '../explain/problems.js';
import { defaultBudget, JsonStore } from '../rows/json-store.js';

/** Characters of flow results (and command lines) held as objects before they are written out. */
export const INSTANCES_BUDGET = 1 << 20;

/** Strings as small numbers, shared by the two runs so that their ids compare. */
export class Interned {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
}

/** The interned strings both runs' instances are told by. */
export interface InstanceNames {
  /** `[flow, variant, command name]` */
  keys: Interned;
  /** `[flow, command name]` */
  kinds: Interned;
  /** Command names. */
  commands: Interned;
  /** `[flow, variant]` */
  flows: Interned;
}

export function instanceNames(): InstanceNames {
  return { keys: new Interned(), kinds: new Interned(), commands: new Interned(), flows: new Interned() };
}

function grown<T extends Int32Array | Uint32Array | Uint8Array>(c: T, at: number): T {
  return at < c.length ? c : grownColumn(c, Math.max(at + 1, c.length * 2));
}

/**
 * Every flow instance of a run in log order — a command's flows by its id (its client flows,
 * then the service-side flows its calls started), the orphans after — with its occurrence
 * among the instances of its flow, variant and command.
 */
export class RunInstances {
  /** Instances, in log order. */
  readonly count: number;
  private readonly flows: JsonStore<FlowResult>;
  /** Each command's argv as JSON, by command id. */
  private readonly argvs: JsonStore<string>;
  /** By place in log order: the place its flow result was read at. */
  private readonly read: Uint32Array;
  /** By place: the command id (0: none). */
  private readonly commandIds: Int32Array;
  /** By place: key and kind ids. */
  readonly keys: Int32Array;
  readonly kinds: Int32Array;
  readonly occurrences: Int32Array;
  /** By command id: its name's id + 1 (0: not a command of the run) and its argv's hash. */
  private readonly commandNames: Int32Array;
  private readonly argvHashes: Uint32Array;

  constructor(
    run: RunResult,
    private readonly names: InstanceNames,
    budget = Math.min(INSTANCES_BUDGET, defaultBudget()),
  ) {
    this.flows = new JsonStore<FlowResult>((f) => 512 + f.steps.length * 320, budget);
    this.argvs = new JsonStore<string>((s) => 64 + s.length, budget);
    let commandNames = column(Int32Array, 1024);
    let argvHashes = column(Uint32Array, 1024);
    for (const c of run.commands) {
      if (c.id < 0) continue;
      commandNames = grown(commandNames, c.id);
      argvHashes = grown(argvHashes, c.id);
      commandNames[c.id] = names.commands.id(c.name ?? c.argv.join(' ')) + 1;
      const argv = JSON.stringify(c.argv);
      argvHashes[c.id] = hashKey(argv);
      this.argvs.set(c.id, argv);
    }
    this.commandNames = commandNames;
    this.argvHashes = argvHashes;

    // As the flows are read: their command, whether service-side, and the rank of their command's first flow.
    let commands = column(Int32Array, 1024);
    let serviceSide = column(Uint8Array, 1024);
    let flowIds = column(Int32Array, 1024);
    let firstSeen = column(Int32Array, 1024);
    let ranks = 0;
    let n = 0;
    const add = (command: number, f: FlowResult) => {
      commands = grown(commands, n);
      serviceSide = grown(serviceSide, n);
      flowIds = grown(flowIds, n);
      commands[n] = command;
      flowIds[n] = names.flows.id(JSON.stringify([f.flow, f.variant]));
      serviceSide[n] = f.command === null ? 1 : 0;
      if (command > 0) {
        firstSeen = grown(firstSeen, command);
        if (firstSeen[command] === 0) firstSeen[command] = ++ranks;
      }
      this.flows.set(n++, f);
    };
    flowsByCommand(run, { onCommandFlow: add, onOrphan: (f) => add(0, f) });
    this.count = n;
    const rank = (i: number) => (commands[i]! > 0 ? firstSeen[commands[i]!]! : Number.MAX_SAFE_INTEGER);
    const order = column(Uint32Array, n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => rank(a) - rank(b) || serviceSide[a]! - serviceSide[b]! || a - b);
    this.read = order;
    this.commandIds = column(Int32Array, n);
    this.keys = column(Int32Array, n);
    this.kinds = column(Int32Array, n);
    this.occurrences = column(Int32Array, n);
    // Keys and kinds by flow and command name, made once each (not from every flow result read back).
    const made = new Map<string, [number, number]>();
    const seen: number[] = [];
    for (let at = 0; at < n; at++) {
      const i = order[at]!;
      this.commandIds[at] = commands[i]!;
      const name = this.command(at);
      const pair = `${flowIds[i]} ${name === null ? -1 : names.commands.id(name)}`;
      let ids = made.get(pair);
      if (ids === undefined) {
        const [flow, variant] = JSON.parse(names.flows.values[flowIds[i]!]!) as [string, string | null];
        ids = [names.keys.id(JSON.stringify([flow, variant, name])), names.kinds.id(JSON.stringify([flow, name]))];
        made.set(pair, ids);
      }
      const key = ids[0];
      this.keys[at] = key;
      this.kinds[at] = ids[1];
      seen[key] = (seen[key] ?? 0) + 1;
      this.occurrences[at] = seen[key];
    }
  }

  /** The flow result of the instance at `at`. */
  flow(at: number): FlowResult {
    return this.flows.get(this.read[at]!)!;
  }

  /** The name of its command, null when it is of none. */
  command(at: number): string | null {
    const id = this.commandIds[at]!;
    const name = id > 0 && id < this.commandNames.length ? this.commandNames[id]! : 0;
    return name === 0 ? null : this.names.commands.values[name - 1]!;
  }

  /** The hash of its command line, null when it is of no command. */
  argvHash(at: number): number | null {
    return this.command(at) === null ? null : this.argvHashes[this.commandIds[at]!]!;
  }

  /** Its command line as JSON, null when it is of no command. */
  argv(at: number): string | null {
    return this.command(at) === null ? null : (this.argvs.json(this.commandIds[at]!) ?? null);
  }

  /** Flow results and command lines held as objects, not parked (what a long run must not hold). */
  get heldInMemory(): { flows: number; commandLines: number } {
    return { flows: this.flows.inMemory, commandLines: this.argvs.inMemory };
  }

  dispose(): void {
    this.flows.dispose();
    this.argvs.dispose();
  }
}
