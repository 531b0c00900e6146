// One stream, many sources: how people hand over several logs in one file. Each
// shape puts the name of the log a line came from in front of it (or above it):
//   grep -r / -H          /var/log/nova/nova-api.log:2017-05-12 18:24:47.231 4499 INFO …
//   grep -n, context      nova-api.log:12:…   nova-api.log-13-…   (`--` between groups)
//   data sets (loghub)    nova-api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO …
//   tail -f a b           ==> a <==  (then a's lines, unprefixed)
//   kubectl logs --prefix [pod/nova-api-0/nova-api-osapi] …
//   docker compose logs   nova_api-1  | …   (`Attaching to …` and `… exited with code 0` its own)
//   terraform provisioner null_resource.setup (remote-exec): …   (or `(local-exec)`)
//   a command naming one log  $ grep req-… /var/log/cinder/api.log   (then its lines, unprefixed)
//   a heading naming one log  cinder-api.log   (a line of its own, then that log's lines)
// The demultiplexer names the source of each line and gives back the line without
// the prefix, so the analyzer can read each source as if it had been given alone.
// It never guesses: a line with no such prefix keeps the source of the stream
// (or of tail's last header).

export type PrefixShape = 'grep' | 'dataset' | 'tail' | 'kubectl' | 'compose' | 'terraform' | 'command' | 'heading';

export interface SourcedLine {
  /** The log the line came from, as the prefix names it; null: the stream itself. */
  source: string | null;
  /** The line without its source prefix. */
  text: string;
  /** The line's number in its own log when the prefix gives it (`grep -n`), else null. */
  sourceLine: number | null;
  /** How the source was named; null when the line had no prefix. */
  shape: PrefixShape | null;
  /** A structural line of the stream itself (tail's header, grep's `--`), not a log line. */
  structural: boolean;
  /** A structural line the tool that wrote the stream printed itself (compose's `Attaching to …`): no source's. */
  own?: true;
  /** The container runtime's prefix was cut (CRI_PREFIX): its stream, and whether the text is a part the runtime cut off a longer line (`P`). */
  cri?: RuntimePiece;
}

/** A CRI log file line's stream and tag: a `P` part goes on in the next line of the same stream. */
export interface RuntimePiece {
  stream: 'stdout' | 'stderr';
  partial: boolean;
  /** The wrapper was docker's json-file (dockerJsonPart), not a CRI runtime's: its parts join only with its own. */
  dockerJson?: true;
}

// A log file's name: a path or a bare name ending in .log or .txt, with logrotate's
// suffixes (.1, -20190725, .gz). Greedy suffixes first, so `x.log-20190725:` is one
// name, while `x.log-2019-07-25 08:48` is x.log followed by grep's context dash.
const LOG_NAME = String.raw`(?:[\w.@+~/-]*?[\w@+~-])\.(?:log|txt)(?:\.\d{1,3}|-\d{8}(?:\d{2})?|\.gz)*`;

/** grep -H/-r/-n output: NAME SEP [LINE SEP] TEXT; `:` marks matches, `-` context lines. */
const GREP_LINE = new RegExp(String.raw`^(${LOG_NAME})([:-])(?:(\d+)\2)?(.*)$`);
/** A data set's line: NAME.log[.N][.YYYY-MM-DD_HH:MM:SS] then a space and a dated record. */
const DATASET_LINE = new RegExp(
  String.raw`^(${LOG_NAME}(?:\.\d{4}-\d{2}-\d{2}_\d{2}:\d{2}:\d{2})?) (?=\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2})(.*)$`,
);
const DATED = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/;
const TAIL_HEADER = /^==> (.+) <==$/;
/** `kubectl logs --prefix`: [pod/NAME/CONTAINER] TEXT. */
const KUBECTL_LINE = /^\[(pod\/[^\s\]/]+\/[^\s\]]+)\] ?(.*)$/;
/** `docker compose logs` (v2 `name-1`, v1 `name_1`), padded to a column, then `| `. */
const COMPOSE_CONTAINER = String.raw`[a-z0-9][\w.-]*?[-_]\d+`;
const COMPOSE_LINE = new RegExp(String.raw`^(${COMPOSE_CONTAINER}) +\| ?(.*)$`);
/** `logs --timestamps` (`-t`): the engine's RFC 3339 time of each line before the line (podman: whole seconds). */
const ENGINE_STAMP = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}) `;
const COMPOSE_TIMESTAMP = new RegExp(`^${ENGINE_STAMP}`);
const INNER_STAMP = new RegExp(ENGINE_STAMP, 'g');
/** How long after a line's own stamp a stamp inside it can be the engine's (one line's chunks are read together). */
const INNER_STAMP_MS = 60_000;

/**
 * A line with `--timestamps` cut of the engine's stamps: the one before it, and those the engine
 * put inside a long line at each chunk its log driver stored apart (podman's conmon reads 8 KiB at
 * a time, docker's json-file stores 16 KiB; docker/cli#4941, kubernetes#77603): a stamp of the
 * same form, no earlier than the first and within a minute of it. Any other date in the text stays.
 */
function withoutEngineStamps(text: string): string {
  const lead = COMPOSE_TIMESTAMP.exec(text);
  if (!lead) return text;
  const body = text.slice(lead[0].length);
  const from = Date.parse(lead[0].trimEnd());
  return body.replace(INNER_STAMP, (stamp) => {
    const at = Date.parse(stamp.trimEnd());
    return at >= from && at - from <= INNER_STAMP_MS ? '' : stamp;
  });
}
/**
 * A CI runner's or `kubectl logs --timestamps`' time before each line, UTC with a fraction of a
 * second: GitHub Actions' raw log `2024-05-03T10:11:12.1234567Z `, RFC 3339 with nanoseconds
 * `2024-05-03T10:11:12.123456789Z ` (Go drops the fraction's trailing zeros, all of them on a
 * whole second). A `T` and a `Z`: no record's own time (oslo.log's `2024-05-03 10:11:12.123`).
 */
const LINE_STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z(?: |$)/;
/**
 * A container runtime's log file under /var/log/pods (CRI: containerd, CRI-O), what the kubelet
 * reads for `kubectl logs`: RFC 3339 with nanoseconds and the node's offset, the stream, and `F`
 * for a full line or `P` for a part of one the runtime cut (containerd at max_container_log_line_size,
 * 16 KiB by default; CRI-O's conmon at the end of each 8 KiB read), then the line. A `P` part's
 * line goes on in the next line of the same stream (PhysicalLines joins them). The stream and tag
 * name no record, so any offset is taken here.
 */
const CRI_PREFIX =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}) (std(?:out|err)) ([FP])(?: |$)/;
/**
 * A line of docker's json-file log driver (/var/lib/docker/containers/<id>/<id>-json.log, what
 * kubelet read before CRI): `{"log":"<text as a JSON string>","stream":"stdout","time":"…"}`, the
 * line's own newline kept inside the string (`\n`). The daemon cuts a line longer than 16 KiB
 * into entries of 16 KiB, each but the last without that `\n` (moby/moby#34855, #36777; "splits
 * lines over 16k by omitting a \"\n\" character at the end of the log field", Azure/adx-mon#272);
 * each entry is a JSON string of its own, so no escape is cut. The fields in moby's order
 * (jsonlog/jsonlogbytes.go MarshalJSONBuf: log, stream, attrs of --log-opt labels, time). The
 * string's body: an unrolled, linear match.
 */
const DOCKER_JSON_LINE =
  /^\{"log":"([^"\\]*(?:\\.[^"\\]*)*)","stream":"(stdout|stderr)"(?:,"attrs":\{[^{}]*\})?,"time":"[^"\\]*"\}$/;

/** Where a docker json-file line's log string is (its body, escaped as written), its stream, and whether it is a part the daemon cut. */
export interface DockerJsonPart {
  from: number;
  to: number;
  stream: 'stdout' | 'stderr';
  partial: boolean;
}

/** A docker json-file line's log string (DOCKER_JSON_LINE); null for any other line. */
export function dockerJsonPart(line: string): DockerJsonPart | null {
  if (!line.startsWith('{"log":"')) return null;
  const m = DOCKER_JSON_LINE.exec(line);
  if (!m) return null;
  const body = m[1]!;
  // Ended by `\n`: an odd run of backslashes before the `n` (an even run is a backslash itself, then an `n`).
  let slashes = 0;
  if (body.endsWith('n')) while (body.charCodeAt(body.length - 2 - slashes) === 92 /* \ */) slashes++;
  const from = '{"log":"'.length;
  return { from, to: from + body.length, stream: m[2] === 'stdout' ? 'stdout' : 'stderr', partial: slashes % 2 === 0 };
}
/**
 * A CRI part's prefix at a line's start, behind grep's file name (and line number) when grep -r
 * printed it: what comes before the part's text (src/input/split-characters.ts reads it on bytes).
 */
const RUNTIME_PART_HEAD = new RegExp(String.raw`^(?:${LOG_NAME}[:-](?:\d+[:-])?)?${CRI_PREFIX.source.slice(1)}`);

/** The length of the CRI prefix (and grep's before it) that opens `head`, -1 when it opens with none. */
export function runtimePartTextStart(head: string): number {
  const m = RUNTIME_PART_HEAD.exec(head);
  // A prefix at the line's end (`… stderr F` and no space) holds no text to begin.
  return m === null || !m[0].endsWith(' ') ? -1 : m[0].length;
}
/** Pebble's own prefix, `2025-05-14T04:27:20.100Z [nova-conductor] `: a record's prefix, kept for the lexer. */
const PEBBLE_AFTER_STAMP = /^\[[\w.-][\w .-]{0,62}\](?: |$)/;

/**
 * The line without a CI runner's or kubectl's stamp before it (LINE_STAMP), or a CRI log file's
 * prefix (CRI_PREFIX). Like the engine's time of `compose logs --timestamps` it is dropped: the
 * line's own time, when it has one, is the line's time. A line that is only the stamp is an empty
 * line.
 */
export function withoutLineStamp(line: string): string {
  return withoutStamp(line).text;
}

/**
 * A docker json-file line's log string as the line it holds: decoded (escapes, `\u` sequences), the
 * line's own newline dropped; its stream, and whether the daemon cut it (no newline: its rest is in
 * the stream's next entry). Null for any other line, and for a string JSON does not read.
 */
function dockerJsonLine(line: string): { text: string; cri: RuntimePiece } | null {
  const part = dockerJsonPart(line);
  if (part === null) return null;
  let text: string;
  try {
    text = JSON.parse(line.slice(part.from - 1, part.to + 1)) as string;
  } catch {
    return null;
  }
  if (!part.partial) text = text.slice(0, text.endsWith('\r\n') ? -2 : -1);
  return { text, cri: { stream: part.stream, partial: part.partial, dockerJson: true } };
}

/** withoutLineStamp, and the runtime's stream and tag when the prefix cut was a CRI log file's (or the line docker's json-file). */
function withoutStamp(line: string): { text: string; cri?: RuntimePiece } {
  // `{"log":"`: the only lines the JSON string is read of (dockerJsonPart tests the prefix first).
  if (line.charCodeAt(0) === 123 /* { */) return dockerJsonLine(line) ?? { text: line };
  if (line.charCodeAt(10) !== 84 /* T */ || line.charCodeAt(4) !== 45 /* - */) return { text: line };
  const cri = CRI_PREFIX.exec(line);
  if (cri)
    return {
      text: line.slice(cri[0].length),
      cri: { stream: cri[1] === 'stdout' ? 'stdout' : 'stderr', partial: cri[2] === 'P' },
    };
  return { text: withoutCiStamp(line) };
}

function withoutCiStamp(line: string): string {
  const m = LINE_STAMP.exec(line);
  if (!m) return line;
  const rest = line.slice(m[0].length);
  // Pebble writes milliseconds, always three digits (`.100Z`).
  return m[0].length === 25 && PEBBLE_AFTER_STAMP.test(rest) ? line : rest;
}

/**
 * compose v1's own lines: `Attaching to a_1, b_1` over `up` and `logs`; in `up`, on stderr,
 * `Creating a_1 ... ` then `Creating a_1 ... done` before, `a_1 exited with code 0` after.
 */
const COMPOSE_ATTACHING = new RegExp(String.raw`^Attaching to ${COMPOSE_CONTAINER}(?:, ${COMPOSE_CONTAINER})*$`);
const COMPOSE_PROGRESS = new RegExp(
  String.raw`^(?:Creating|Recreating|Starting|Stopping|Killing|Removing) ${COMPOSE_CONTAINER} +\.\.\. ?(?:done|error)?$`,
);
const COMPOSE_EXITED = new RegExp(String.raw`^${COMPOSE_CONTAINER} exited with code \d+$`);
/**
 * Terraform's provisioner output, one line of the remote (or local) shell per line: the
 * resource's address (`null_resource.x`, `module.m.aws_instance.web[0]`), then
 * `(remote-exec): ` or `(local-exec): ` and the text. Resources provision in parallel, so
 * each address is a source of its own.
 */
const TERRAFORM_LINE =
  /^((?:module\.[\w-]+(?:\[[^\]\s]{1,64}\])?\.)*(?:data\.)?[A-Za-z][\w-]*\.[\w-]+(?:\[[^\]\s]{1,64}\])?) \((?:remote|local)-exec\):(?: (.*))?$/;

/** Programs people read one log with before pasting what it printed (`sudo` in front allowed). */
export const LOG_READERS: ReadonlySet<string> = new Set([
  'tail',
  'head',
  'cat',
  'zcat',
  'less',
  'more',
  'grep',
  'egrep',
  'fgrep',
  'zgrep',
]);
const WHOLE_LOG_NAME = new RegExp(String.raw`^${LOG_NAME}$`);
/** Words after a heading's colon: one space, then a letter (a matched log line opens otherwise). */
const PROSE_AFTER_COLON = /^ [A-Za-z][A-Za-z]*(?: |$)/;
/**
 * A paste's heading over a log's lines: the name alone on its line, a colon after it at most,
 * or after a shell comment's `# ` in a code block.
 */
const HEADING = new RegExp(String.raw`^(?:# )?(${LOG_NAME}):?$`);
/**
 * A markdown paste's heading: the name as a code span, one word before it at most, a colon after
 * it at most (File `backup.log`: in a post's notes). A bare name after a word is prose.
 */
const CODE_HEADING = new RegExp(String.raw`^(?:[A-Za-z]+ )?\`(${LOG_NAME})\`:?$`);
const MAX_CODE_HEADING = 200;

/**
 * The one log file a shell command reads and prints, unprefixed: `tail -200
 * /var/log/nova/nova-api.log | grep -B 5 …`, `grep req-… api.log`, `sudo cat x.log`. Null
 * when the command is no log reader, names no log or several (`cat a.log b.log`, a glob, a
 * directory: grep prefixes such output with each file's name itself).
 */
export function logFileOfCommand(command: string): string | null {
  // A quoted argument is a pattern (`grep -E 'POST .*/servers|…'`), never the file read.
  const words = command
    .replace(/'[^']*'|"[^"]*"/g, 'Q')
    .trim()
    .split(/\s+/);
  let i = words[0] === 'sudo' ? 1 : 0;
  if (!LOG_READERS.has(words[i] ?? '')) return null;
  let file: string | null = null;
  for (i++; i < words.length; i++) {
    const w = words[i]!;
    if (w === '|' || w === '&&' || w === ';' || w.startsWith('>')) break;
    if (w.includes('*') || w.includes('?') || w.endsWith('/')) return null;
    if (!WHOLE_LOG_NAME.test(w)) continue;
    if (file !== null) return null;
    file = w;
  }
  return file;
}

/**
 * Whether the line's first word (up to a character no file name of LOG_NAME holds) names a
 * `.log` or `.txt` file: the cheap test before the grep and data-set patterns, which most
 * lines of a console log (bodies, headers, REQ/RESP) fail at once anyway.
 */
function opensWithLogName(line: string): boolean {
  let end = 0;
  let dotted = false;
  while (end < line.length) {
    const c = line.charCodeAt(end);
    if (NAME_CHAR[c] !== 1) break;
    if (c === 46 /* . */) dotted = true;
    end++;
  }
  // Most first words (`REQ`, `RESP`, `http`, a JSON brace) have no dot: nothing to cut out and search.
  if (!dotted) return false;
  const word = line.length === end ? line : line.slice(0, end);
  return word.includes('.log') || word.includes('.txt');
}
const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Characters of a file name in LOG_NAME: word characters and `.@+~/-`. */
const NAME_CHAR = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.@+~/-') NAME_CHAR[c.charCodeAt(0)] = 1;

/**
 * The prefixes of terraform and compose hold no space before their mark, so the first space
 * of the line tells whether one can be there: no scan of a long line (a body) for the mark.
 */
const EXEC_MARKS = [' (remote-exec):', ' (local-exec):'];
function afterFirstWord(line: string, marks: readonly string[]): boolean {
  const space = line.indexOf(' ');
  return space > 0 && marks.some((m) => line.startsWith(m, space));
}
/** `name-1   | `: the bar after the first word and the spaces that pad it. */
function composeBarAfterFirstWord(line: string): boolean {
  let at = line.indexOf(' ');
  if (at <= 0) return false;
  while (line.charCodeAt(at) === 32) at++;
  return line.charCodeAt(at) === 124; /* | */
}

export class Demultiplexer {
  /** The base name of the stream itself: a heading that names it heads the stream's own lines. */
  private readonly ownName: string | null;

  constructor(streamName?: string) {
    this.ownName = streamName === undefined ? null : baseName(streamName);
  }

  /** tail's current file, or the log a command read: its lines carry no prefix of their own. */
  private tailSource: string | null = null;
  /** How tailSource was named: tail's header, a shell command naming one log, or a heading. */
  private tailShape: 'tail' | 'command' | 'heading' = 'tail';
  /** The shape this stream uses, once seen: a stream mixes sources one way. */
  private streamShape: PrefixShape | null = null;
  /** Whether grep's match lines carry line numbers (`-n`), once one has been seen. */
  private numbered: boolean | null = null;

  /** The shape of the stream so far (null: a plain log, no source prefixes seen). */
  get shape(): PrefixShape | null {
    return this.streamShape;
  }

  /**
   * The streams of a CRI log file whose last line there was a part (`P`), and their source: the
   * stream's next line is the rest, no prefix of a source. Each stream apart: the runtime writes
   * them apart (containerd's cri logger, a goroutine a stream), another's line may come between.
   */
  private readonly openParts = new Map<RuntimePiece['stream'], string | null>();

  split(raw: string): SourcedLine {
    const stamp = withoutStamp(raw);
    const open = stamp.cri && this.openParts.get(stamp.cri.stream);
    const sourced =
      stamp.cri && open !== undefined && open === this.tailSource
        ? { ...this.unprefixed(stamp.text), cri: stamp.cri }
        : this.withPiece(this.splitLine(stamp), stamp.cri);
    // Only a file read as it is: grep's own prefix names each part's file, the line's rest follows it.
    if (sourced.cri === undefined) this.openParts.clear();
    else if (sourced.cri.partial && sourced.shape !== 'grep') this.openParts.set(sourced.cri.stream, sourced.source);
    else this.openParts.delete(sourced.cri.stream);
    return sourced;
  }

  /** The runtime's stream and tag, on a line of text (a structural line holds none of the runtime's text). */
  private withPiece(sourced: SourcedLine, cri: RuntimePiece | undefined): SourcedLine {
    return cri === undefined || sourced.structural || sourced.cri !== undefined ? sourced : { ...sourced, cri };
  }

  private splitLine(stamp: { text: string; cri?: RuntimePiece }): SourcedLine {
    const line = stamp.text;
    const first = line.charCodeAt(0);
    // grep, tail, kubectl or compose output pasted as an indented block (under a host's name in
    // an issue, in a list item's code block): the prefix follows the indentation. Only a line
    // whose source is found is taken apart.
    if (first === 32 || first === 9) {
      const body = line.trimStart();
      if (
        body.startsWith('==> ') ||
        body.startsWith('[pod/') ||
        opensWithLogName(body) ||
        composeBarAfterFirstWord(body)
      ) {
        const sourced = this.splitLine(withoutStamp(body));
        if (
          sourced.source !== null &&
          ((sourced.shape !== 'tail' && sourced.shape !== 'command') || sourced.structural)
        )
          return sourced;
      }
    }
    // `==`, `[`, a letter, a digit, `/`, `.` or `~` can open a prefix; most log lines open with a digit (a date).
    if (first === 61 /* = */) {
      const m = TAIL_HEADER.exec(line);
      if (m) {
        this.tailSource = m[1]!;
        this.tailShape = 'tail';
        this.streamShape = 'tail';
        return { source: this.tailSource, text: '', sourceLine: null, shape: 'tail', structural: true };
      }
    }
    if (first === 35 /* # */ && this.streamShape !== 'grep' && line.startsWith('# ') && opensWithLogName(line.slice(2)))
      return this.heading(line) ?? this.unprefixed(line);
    // Short and ending with the span or its colon: no scan of a long line for the backtick.
    if (this.streamShape !== 'grep' && line.length <= MAX_CODE_HEADING && (line.endsWith('`') || line.endsWith('`:'))) {
      const m = CODE_HEADING.exec(line);
      if (m) return this.headed(m[1]!);
    }
    // A dated line (most of any log) opens with no prefix: a name holds no space or colon.
    if (first >= 48 && first <= 57 && DATED.test(line)) {
      return this.unprefixed(line);
    }
    if (line === '--' && this.streamShape === 'grep') {
      return { source: null, text: '', sourceLine: null, shape: 'grep', structural: true };
    }
    if (first === 91 /* [ */ && line.startsWith('[pod/')) {
      const m = KUBECTL_LINE.exec(line);
      if (m) return this.sourced(m[1]!, withoutLineStamp(m[2]!), null, 'kubectl');
    }
    if (this.streamShape !== 'kubectl' && this.streamShape !== 'tail' && opensWithLogName(line)) {
      // A name alone on its line heads the lines under it (grep's output never holds one:
      // each of its lines has a separator and the matched text after the name).
      const heading = this.streamShape === 'grep' ? null : this.heading(line);
      if (heading) return heading;
      const dataset = DATASET_LINE.exec(line);
      if (dataset) return this.sourced(dataset[1]!, dataset[2]!, null, 'dataset');
      const grep = GREP_LINE.exec(line);
      // A dash after a name is grep's context line when the stream is known to be grep's,
      // or the dash is followed by a line number (`-n`) or a dated record; alone it is too weak.
      if (grep) {
        const name = grep[1]!;
        const sep = grep[2]!;
        let number = grep[3];
        let text = grep[4]!;
        // Without -n a context line reads `x.log-2026-11-25 …`: the year is no line number.
        if (number !== undefined && sep === '-' && this.numbered !== true && DATED.test(`${number}-${text}`)) {
          text = `${number}-${text}`;
          number = undefined;
        }
        // A heading with words after its colon (`/var/log/nova-compute.log: On Compute Server #1`):
        // before any grep line, one space and a word are prose, not a matched log line.
        if (sep === ':' && number === undefined && this.streamShape === null && PROSE_AFTER_COLON.test(text))
          return this.headed(name);
        if (sep === ':' || this.streamShape === 'grep' || number !== undefined || DATED.test(text)) {
          if (sep === ':') this.numbered = number !== undefined;
          // grep -r over /var/log/pods: each matched line holds the runtime's prefix.
          const cut = withoutStamp(text);
          const sourced = this.sourced(name, cut.text, number === undefined ? null : Number(number), 'grep');
          return cut.cri ? { ...sourced, cri: cut.cri } : sourced;
        }
      }
    }
    if (this.streamShape !== 'kubectl' && this.streamShape !== 'tail' && afterFirstWord(line, EXEC_MARKS)) {
      const terraform = TERRAFORM_LINE.exec(line);
      if (terraform) return this.sourced(terraform[1]!, terraform[2] ?? '', null, 'terraform');
    }
    if (this.streamShape !== 'kubectl' && this.streamShape !== 'tail' && composeBarAfterFirstWord(line)) {
      const compose = COMPOSE_LINE.exec(line);
      if (compose) return this.sourced(compose[1]!, withoutEngineStamps(compose[2]!), null, 'compose');
    }
    if (
      ((this.streamShape === null || this.streamShape === 'compose') &&
        (COMPOSE_ATTACHING.test(line) || COMPOSE_PROGRESS.test(line))) ||
      (this.streamShape === 'compose' && COMPOSE_EXITED.test(line))
    ) {
      this.streamShape = 'compose';
      return { source: null, text: '', sourceLine: null, shape: 'compose', structural: true, own: true };
    }
    return this.unprefixed(line);
  }

  /**
   * A shell command was read (its line already split): the unprefixed lines after it are its
   * output, the named log's when it read one (logFileOfCommand), else the stream's own again
   * (a command also ends the block of an earlier `tail` header).
   */
  command(logFile: string | null): void {
    this.tailSource = logFile;
    this.tailShape = 'command';
  }

  /** A heading naming one log: the lines under it are that log's. */
  private heading(line: string): SourcedLine | null {
    const m = HEADING.exec(line);
    return m ? this.headed(m[1]!) : null;
  }

  /** The lines under a heading naming `name` are that log's (the stream's own when it names the stream). */
  private headed(name: string): SourcedLine {
    this.tailSource = baseName(name) === this.ownName ? null : name;
    this.tailShape = 'heading';
    return { source: this.tailSource, text: '', sourceLine: null, shape: 'heading', structural: true };
  }

  /** A line without a prefix: the stream's own, or tail's current file's. */
  private unprefixed(line: string): SourcedLine {
    if (this.tailSource !== null)
      return { source: this.tailSource, text: line, sourceLine: null, shape: this.tailShape, structural: false };
    return { source: null, text: line, sourceLine: null, shape: null, structural: false };
  }

  private sourced(source: string, text: string, sourceLine: number | null, shape: PrefixShape): SourcedLine {
    this.streamShape ??= shape;
    return { source, text, sourceLine, shape, structural: false };
  }
}
