// The `kiosk` command line: every command, its flags and its help, declared with commander; the work of each command
// is in the file of its name beside this one, loaded only when it runs (a `kiosk card list` never loads the server).
// Strict everywhere: an unknown flag, a flag without its value, a wrong value and a stray argument are refused with
// exit 2 and the command's help; `--help` on any command and `--version` answer with exit 0.
import { Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { JourneyFormatError } from '../journeys/format.ts';
import { activeDefect, DefectRefusedError } from '../../center/defects.ts';
import type { CounterVerb as CounterVerbName } from '../counter/counter.ts';
import {
  FILE_ERRORS, StartError, UsageError, centerUrl, checkFlags, clockFlag, oneOf, port, readerFlag, readerNameFlag, slotFlag, terminalFlag, toleranceFlag,
  traceFlag, valueFlag, waitFlag, workersFlag, seedFlag, stepsFlag, rangeFlag, type Flags,
} from './flags.ts';

/** The exit codes of every command, as the help and the README list them. */
export const EXIT_CODES = `Exit codes:
  0  done (every journey passed; a certificate genuine)
  1  it could not be done or did not pass: a journey failed, a certificate is not genuine, no reader or card
  2  bad input: an unknown command or flag, a wrong value, a malformed file, a folder or state the command cannot
     use; the message says what to do
  3  kiosk verify only: the code is genuine but the center holds no digest of the printed file`;

const VERIFY_EXIT_CODES = `An answer from --center is signed only with --center-token FILE.

Exit codes:
  0  genuine: the PDF is the file the center recorded, unchanged (or, for a CODE alone, the code was issued)
  1  not genuine: no such code, no code on the PDF, or the PDF was changed
  2  bad input, or a damaged log, or a center that does not answer or is not the center
  3  the code is genuine but the center holds no digest of the printed file: the PDF itself was NOT checked
     (compare the paper with the details shown)`;

/** A command's flags by the name typed (`center-token`): values as given, switches as 'true'. */
function flagsOf(cmd: Command): Flags {
  const flags: Flags = {};
  for (const o of cmd.options) {
    const v = cmd.getOptionValue(o.attributeName());
    if (v !== undefined) flags[o.long!.slice(2)] = typeof v === 'string' ? v : String(v);
  }
  return flags;
}

const sw = (flags: Flags, name: string) => flags[name] === 'true';

/** A command of commands: run without one (or with a wrong one), it says which it has. */
function group(parent: Command, name: string, description: string): Command {
  const cmd = parent.command(name).description(description).helpCommand(true);
  cmd.action(() => {
    const given = cmd.args[0];
    const names = cmd.commands.map((c) => c.name());
    throw new UsageError(`unknown ${cmd.name()} command "${given ?? ''}" (expected: kiosk ${commandPath(cmd)} ${names.join('|')})`);
  });
  return cmd;
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The command the words name (the deepest one that exists), for the help shown after a mistake. */
function commandOf(program: Command, argv: string[]): Command {
  let cmd = program;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    const sub = cmd.commands.find((c) => c.name() === word);
    if (!sub) break;
    cmd = sub;
  }
  return cmd;
}

/** The command line; `signal` ends a command that runs until stopped (`reader watch`) instead of Ctrl+C. */
function program(out: Console, o: { signal?: AbortSignal }, done: (code: number) => void): Command {
  // Each command's file is loaded when it runs: `kiosk card list` never loads the server.
  const cli = {
    start: () => import('./start.ts'),
    journey: () => import('./journey.ts'),
    card: () => import('./card.ts'),
    replay: () => import('./replay.ts'),
    reader: () => import('./reader.ts'),
    print: () => import('./print.ts'),
    verify: () => import('./verify.ts'),
    center: () => import('./center.ts'),
    counter: () => import('./counter.ts'),
  };
  const kiosk = new Command('kiosk')
    .description('A convenience-store certificate kiosk (コンビニ交付) simulator: the terminal, its journeys, the My Number Card, the issuance center.')
    .version(pkg.version, '--version', 'print the version and exit')
    .helpOption('-h, --help', 'show the help of a command')
    .addHelpText('after', `\n${EXIT_CODES}\n\nEvery command answers --help; README.md has the whole reference.`)
    .helpCommand(true)
    .exitOverride()
    .allowExcessArguments(true)
    .configureOutput({ writeOut: (s) => out.log(s.replace(/\n$/, '')), writeErr: (s) => out.error(s.replace(/\n$/, '')), outputError: () => {} })
    .showSuggestionAfterError(true);
  // Stray words are refused by the kiosk's own check (it names the word); a command that takes words declares them.
  kiosk.hook('preAction', (_, action) => {
    // A defect of the pack (center/defects.ts) switched on outside a test stops every command before it starts.
    try {
      activeDefect();
    } catch (e) {
      if (e instanceof DefectRefusedError) throw new StartError(e.message);
      throw e;
    }
    const declared = action.registeredArguments;
    if (declared.some((a) => a.variadic) || !action.parent) return;
    if (action.args.length > declared.length && action.commands.length === 0) throw new UsageError(`unexpected argument "${action.args[declared.length].slice(0, 60)}"`);
  });
  kiosk.action(() => {
    throw new UsageError(kiosk.args.length ? `unknown command "${kiosk.args[0].slice(0, 40)}"` : 'no command given');
  });

  const centerFlags = (cmd: Command) =>
    cmd
      .addOption(valueFlag('--center <URL>', 'a center started with kiosk center serve (http://127.0.0.1:PORT); default: one in this process', centerUrl))
      .addOption(valueFlag('--center-token <FILE>', 'the token kiosk center terminal add wrote for this terminal (with --center)'));

  centerFlags(
    kiosk
      .command('start')
      .summary('Serve a kiosk terminal on 127.0.0.1 (the touch screen, the operator panel)')
      .description(
        'Serve a kiosk terminal on 127.0.0.1; open the printed URL in a browser (the operator panel at #operator). ' +
          'The kiosk owns --var (journal, snapshot, cash box, card store) and its spool: a second kiosk on them exits 2.',
      )
      .addOption(valueFlag('--port <PORT>', 'the port to serve on (default 8080)', port))
      .addOption(valueFlag('--reader <READER>', 'sim, or pcsc[:NAME]: a PC/SC reader through pcscd ("Virtual PCD 00 0N" for vpcd) (default sim)', readerFlag))
      .addOption(valueFlag('--printer <PRINTER>', 'spool (PDFs in --spool) or null (nothing written) (default spool)', oneOf('spool', 'null')))
      .addOption(valueFlag('--print-speed <SPEED>', "real (a multi-copy machine's time: about a minute a copy, on the kiosk's clock) or fast (at once) (default real)", oneOf('real', 'fast')))
      .addOption(valueFlag('--spool <DIR>', 'where printed PDFs go (default spool)'))
      .addOption(valueFlag('--var <DIR>', "the kiosk's own state: journal, snapshot, cash box, cards (default var)"))
      .addOption(valueFlag('--clock <TIME>', 'real, or a Japan time to start the clock at, e.g. 2026-12-29T10:00+09:00 (2000-2099)', clockFlag))
      .addOption(valueFlag('--terminal <ID>', 'the terminal id in issuance numbers; each kiosk sharing a center its own (default K01)', terminalFlag))
      .addOption(valueFlag('--pin-reset <PINS>', "which PINs 暗証番号リセット resets: both (Seven-Eleven's, default) or sign (Lawson's, FamilyMart's: the signature password only)", oneOf('both', 'sign')))
      .option('--kiosk', "open the touch screen in Chromium's kiosk mode (KIOSK_BROWSER picks another Chromium); without a display, print the command")
      .addOption(valueFlag('--camera <CAMERA>', "a booth's camera: sim (the operator chooses who stands before it) or browser (the screen's camera) (default sim)", oneOf('sim', 'browser')))
      .addOption(traceFlag())
      .option('--booth', 'serve a town photo booth instead (個人番号カード申請: the fee, the form\'s QR code, the photo; its files in DIR/booth, terminal B01 by default)'),
  ).action(async function (this: Command) {
    const flags = flagsOf(this);
    done(await (await cli.start()).start(flags, sw(flags, 'kiosk'), out, sw(flags, 'booth')));
  });

  kiosk
    .command('load')
    .description(
      'Many kiosks on one issuance center: starts `kiosk center serve`, registers the kiosks, and has each walk seeded walks against it for the time given; ' +
        'reports throughput, the center\'s latency (p50/p95/p99), documents issued and refused, and any cross-session document (a copy whose record at the center ' +
        'names another person than the card\'s, or an issuance number twice). Exit 1 if there is one, or a walk failed.',
    )
    .addOption(valueFlag('--kiosks <K>', 'kiosks at once, 1-256 (default 8)', rangeFlag(1, 256, 'kiosks')))
    .addOption(valueFlag('--centers <C>', 'center processes, 1 (several need one shared PostgreSQL database: not built yet)', rangeFlag(1, 64, 'center processes')))
    .addOption(valueFlag('--duration <S>', 'seconds of walking, 1-3600 (default 10)', rangeFlag(1, 3600, 'seconds')))
    .addOption(valueFlag('--seed <N>', 'the walks\' seed (kiosk k walks seed N×1000+k), 0-4294967295 (default 1)', seedFlag))
    .option('--json', 'the report as JSON on stdout')
    .action(async function (this: Command) {
      const flags = flagsOf(this);
      done(await (await import('./load.ts')).load(flags, sw(flags, 'json'), out));
    });

  const journey = group(kiosk, 'journey', 'Journeys: a resident at the kiosk, step by step, as a YAML file (journeys/README.md).');
  centerFlags(
    journey
      .command('run')
      .summary('Run journeys headless or in Chromium')
      .description(
        'Run journeys headless (spread over --workers threads) or in Chromium (--browser, after npm run build). ' +
          'Each starts from fresh cards, or from the card store --cards DIR where cards keep their state across journeys and runs.',
      )
      .argument('<FILE|DIR...>', 'journey files, or folders of *.yaml')
      .addOption(valueFlag('--reader <READER>', 'sim or pcsc[:NAME] (default sim)', readerFlag))
      .option('--browser', 'drive the built UI in Chromium')
      .addOption(valueFlag('--workers <N>', 'worker threads (default one per core)', workersFlag))
      .addOption(valueFlag('--printer <PRINTER>', 'null or spool (default null)', oneOf('spool', 'null')))
      .addOption(valueFlag('--print-speed <SPEED>', "fast, or real: a multi-copy machine's printing time, passed on the journey's simulated clock at no cost in wall time (default fast)", oneOf('real', 'fast')))
      .addOption(valueFlag('--spool <DIR>', 'where PDFs go with --printer spool (default spool)'))
      .addOption(valueFlag('--junit <FILE>', 'write JUnit XML for CI'))
      .addOption(valueFlag('--html <FILE>', "write a report with each step's screen and the machine's path"))
      .addOption(new Option('--json [FILE.json]', 'the results as JSON on stdout (PASS/FAIL lines then on stderr), or into FILE.json'))
      .addOption(valueFlag('--cards <DIR>', 'take the cards from this card store (kiosk start --var DIR uses DIR/cards)'))
      .option('--oracles', "check the walks' oracles after every step too (money, the person, no PIN, every screen drawable): a walk's shrunk journey fails again only with them")
      .addOption(valueFlag('--shard <i/n>', 'run part i of n (files sorted by path, dealt out in turn): one part per CI machine, then kiosk journey merge'))
      .addOption(traceFlag()),
  ).action(async function (this: Command, files: string[]) {
    const flags = flagsOf(this);
    // An optional value takes the next word: `--json journeys/` is the switch and a folder, not a file to write.
    let json: boolean | string = this.getOptionValue('json') ?? false;
    if (typeof json === 'string' && !/\.json$/i.test(json)) {
      files = [...files, json];
      json = true;
    }
    done(await (await cli.journey()).run(files, flags, { browser: sw(flags, 'browser'), json }, out));
  });
  journey
    .command('generate')
    .description("Write journeys from the machine's graph that together fire every transition.")
    .addOption(valueFlag('--out <DIR>', 'where to write them (default journeys/generated)'))
    .action(async function (this: Command) {
      done(await (await cli.journey()).generate(flagsOf(this), out));
    });
  journey
    .command('merge')
    .description("Join the JSON reports of several shards (kiosk journey run --shard i/n --json FILE.json) into one report; exit 1 when a journey failed.")
    .argument('<FILE.json...>', 'the shards\' JSON reports')
    .addOption(valueFlag('--junit <FILE>', 'write JUnit XML for CI'))
    .addOption(valueFlag('--html <FILE>', 'write the HTML report'))
    .addOption(new Option('--json [FILE.json]', 'the merged results as JSON on stdout, or into FILE.json'))
    .action(async function (this: Command, files: string[]) {
      const flags = flagsOf(this);
      let json: boolean | string = this.getOptionValue('json') ?? false;
      if (typeof json === 'string' && !/\.json$/i.test(json)) {
        files = [...files, json];
        json = true;
      }
      done(await (await cli.journey()).merge(files, flags, json, out));
    });
  journey
    .command('walk')
    .description(
      'A seeded random walk over the machine, run headless with the simulated devices and faults as steps; after every step the oracles are checked ' +
        '(money conserved, the screen\'s person is the card\'s, no PIN in any output, every screen drawable). A failing stretch is shrunk to the shortest ' +
        'journey that still fails the same way. The same seed gives the same walk.',
    )
    .addOption(valueFlag('--seed <N>', 'the walk\'s seed, 0-4294967295 (required)', seedFlag))
    .addOption(valueFlag('--steps <M>', 'steps in all, 1-1000000 (default 1000; with --until the most it takes)', stepsFlag))
    .addOption(valueFlag('--weights <FILE>', 'YAML or JSON: step kinds (tap, fault, wait…, or tap:cancel, fault:paper-jam) and their weights, over the defaults'))
    .addOption(valueFlag('--until <WHAT>', 'stop once every one is covered: transitions, states (pairs, requirements: run all the steps)', oneOf('transitions', 'pairs', 'states', 'requirements')))
    .addOption(valueFlag('--out <DIR>', 'write the report (walk-SEED.json) and each shrunk failing journey (walk-SEED-N.yaml) there'))
    .option('--json', 'the report as JSON on stdout')
    .action(async function (this: Command) {
      const flags = flagsOf(this);
      done(await (await cli.journey()).walk(flags, sw(flags, 'json'), out));
    });
  journey
    .command('coverage')
    .description('Run journeys headless and report the states and transitions they cover.')
    .argument('<FILE|DIR...>', 'journey files, or folders of *.yaml')
    .addOption(valueFlag('--svg <FILE>', 'draw the machine, covered transitions green and uncovered ones red'))
    .option('--json', 'the coverage as JSON on stdout')
    .addOption(valueFlag('--workers <N>', 'worker threads (default one per core)', workersFlag))
    .action(async function (this: Command, files: string[]) {
      const flags = flagsOf(this);
      done(await (await cli.journey()).coverage(files, flags, sw(flags, 'json'), out));
    });

  const card = group(kiosk, 'card', 'The card store (DIR/cards, the one kiosk start --var DIR uses): every card keeps its PIN counters and locks.');
  const varFlag = () => valueFlag('--var <DIR>', 'the kiosk folder whose card store to use (default var)');
  const personaFlag = () => valueFlag('--persona <ID>', 'whose card (kiosk personas lists them)');
  const cardAction = (sub: 'list' | 'new' | 'unlock' | 'serve' | 'profile') =>
    async function (this: Command) {
      const flags = flagsOf(this);
      const command = await cli.card();
      checkFlags(flags, { persona: command.personaFlag });
      done(await command.cardCommand(sub, flags, sw(flags, 'json'), out));
    };
  card.command('list').description('Every card of the store with its PIN counters and the reader it is on.').addOption(varFlag()).option('--json', 'as JSON').action(cardAction('list'));
  card
    .command('new')
    .description('A new card for a persona: the next insert-card puts it on the reader.')
    .addOption(personaFlag())
    .addOption(varFlag())
    .addOption(valueFlag('--clock <TIME>', 'the time its certificates start from (default now)', clockFlag))
    .option('--uncollected', 'a card J-LIS made, waiting at the office: its PINs and certificates come at kiosk counter collect')
    .option('--declined', 'its electronic certificates were declined at application')
    .action(cardAction('new'));
  card
    .command('unlock')
    .description("Give a card's PIN tries back (staff's stand-in for the ward office's reset, recorded in the card's history).")
    .addOption(personaFlag())
    .addOption(valueFlag('--pin <PIN>', 'auth, sign, info, juki, matching (照合番号 A and B) or all (default all)', oneOf('auth', 'sign', 'info', 'juki', 'matching', 'all')))
    .addOption(varFlag())
    .action(cardAction('unlock'));
  card
    .command('serve')
    .description('Serve a card from the store to pcscd (vpcd) for any PC/SC program. Keys: r takes it out / puts it back, q stops.')
    .addOption(personaFlag())
    .addOption(valueFlag('--slot <N>', '0 or 1: "Virtual PCD 00 00" or "00 01" (default 0)', slotFlag))
    .addOption(varFlag())
    .addOption(valueFlag('--clock <TIME>', 'the time its certificates start from (default now)', clockFlag))
    .addOption(traceFlag())
    .addOption(valueFlag('--from-trace <TRACE>', 'serve the card a trace recorded: it answers every command as it did then (no --persona)'))
    .addOption(valueFlag('--profile <FILE>', 'serve the card a card profile describes (reader/PROFILE.md; kiosk card profile writes one)'))
    .addOption(valueFlag('--atr <NAME|HEX>', "the ATR the card answers with: contact (default), contact-short, contactless-2018, contactless-2020, contactless-2024, contactless-reader-2016, contactless-reader-2019, juki, or any in hex"))
    .action(cardAction('serve'));
  card
    .command('profile')
    .description("Write a persona's card as a card profile (reader/PROFILE.md): profile.json with its keys and certificates beside it.")
    .addOption(personaFlag())
    .addOption(valueFlag('--out <DIR>', 'the folder to write it in'))
    .addOption(valueFlag('--clock <TIME>', 'the time its certificates start from (default now)', clockFlag))
    .action(cardAction('profile'));
  card
    .command('replay')
    .summary('Send a recorded APDU trace to a card and report every answer that differs')
    .description(
      'Send every command of a trace (kiosk … --trace FILE, text or JSON lines) to a card: a fresh virtual card of --persona, ' +
        'or the card in a PC/SC --reader. PIN data the trace masked is filled from the persona\'s PINs, or the command is skipped. ' +
        'Exit 0 when every status word and data length matches, 1 when one differs.',
    )
    .argument('<TRACE>', 'the trace file')
    .addOption(personaFlag())
    .addOption(valueFlag('--reader <NAME>', 'a part of a PC/SC reader\'s name (default: a virtual card in this process)', readerNameFlag))
    .addOption(valueFlag('--clock <TIME>', 'the day the virtual card\'s certificates are made for (the recorded session\'s, for identical certificates)', clockFlag))
    .option('--json', 'the report as JSON')
    .action(async function (this: Command, trace: string) {
      const flags = flagsOf(this);
      checkFlags(flags, { persona: (await cli.card()).personaFlag });
      done(await (await cli.replay()).replay(trace, flags, sw(flags, 'json'), out));
    });

  const reader = group(kiosk, 'reader', 'For reader vendors: the readers pcscd sees, their events, and a probe of the card.');
  const waitFor = () => valueFlag('--wait <MS>', 'how long to wait for pcscd or a card (default 1500)', waitFlag);
  const readerAction = (sub: 'list' | 'watch' | 'probe') =>
    async function (this: Command) {
      const flags = flagsOf(this);
      const command = await cli.reader();
      checkFlags(flags, { sim: command.simPersonaFlag });
      done(await command.readerCommand(sub, flags, sw(flags, 'json'), out, o));
    };
  reader.command('list').description('The readers pcscd sees, with card state and ATR.').addOption(waitFor()).option('--json', 'as JSON').action(readerAction('list'));
  reader.command('watch').description('One line per reader or card event until Ctrl+C.').option('--json', 'one JSON object a line').action(readerAction('watch'));
  reader
    .command('probe')
    .summary("Report what the card in a reader does, without spending a PIN try")
    .description(
      'Read the card in a reader without spending a PIN try: ATR, card type, applications, certificate, PIN counters, ' +
        'extended APDUs, every APDU with its time (reader/diagnostics/PROBE.md).',
    )
    .addOption(valueFlag('--reader <NAME>', 'a part of the reader name (default the first reader)', readerNameFlag))
    .addOption(valueFlag('--sim <PERSONA>', "probe a persona's virtual card in an in-process reader (no pcscd needed)"))
    .addOption(waitFor())
    .addOption(traceFlag())
    .option('--conformance', 'run the conformance checks instead: 256/258/259-byte and whole-file answers, a second program beside this one (exit 1 when one fails)')
    .option('--events', 'with --conformance: also the card taken out and put back (you are asked to; a --sim card is moved by the probe)')
    .option('--json', 'the report as JSON (kiosk-reader-probe/1, or kiosk-reader-conformance/1)')
    .action(readerAction('probe'));

  kiosk
    .command('apply-site')
    .description("The application site the form's QR code leads to (the smartphone and PC routes): a page on 127.0.0.1 that sends applications to the kiosk folder's center (DIR/center/center.sqlite).")
    .addOption(valueFlag('--port <PORT>', 'the port to serve on (default 8082)', port))
    .addOption(valueFlag('--var <DIR>', "the kiosk folder whose center records the applications (default var); the completion e-mails go to DIR/outbox"))
    .addOption(valueFlag('--clock <TIME>', 'real, or a Japan time to start the clock at', clockFlag))
    .action(async function (this: Command) {
      done(await (await cli.start()).startApplySite(flagsOf(this), out));
    });

  const print = group(kiosk, 'print', 'Documents as the kiosk prints them.');
  print
    .command('sample')
    .description("Render one certificate for a persona as a PDF, built by the center's real builder.")
    .addOption(valueFlag('--certificate <TYPE>', 'juminhyo, kisai, inkan, kazei, shotoku, shotoku-kazei, nozei, koseki-zenbu, koseki-kojin, fuhyo, receipt or refund-slip (default juminhyo)'))
    .addOption(valueFlag('--persona <ID>', 'whose (default kawasaki-taro)'))
    .addOption(valueFlag('--out <FILE>', 'where to write it (default sample-TYPE.pdf)'))
    .action(async function (this: Command) {
      const flags = flagsOf(this);
      const command = await cli.print();
      checkFlags(flags, { certificate: command.sampleType, persona: command.samplePersona });
      done(await command.printSample(flags, out));
    });

  print
    .command('application-form')
    .description("J-LIS prints a new 交付申請書 for a persona (its 23-digit 申請書ID recorded in the kiosk folder's center, bound to the name and address printed) as a PDF with the QR code a booth reads.")
    .addOption(valueFlag('--persona <ID>', 'whose form'))
    .addOption(valueFlag('--var <DIR>', "the kiosk folder whose center records the form (default var)"))
    .addOption(valueFlag('--clock <TIME>', 'real, or the Japan time it is printed at', clockFlag))
    .addOption(valueFlag('--out <FILE>', 'where to write it (default application-form-PERSONA.pdf)'))
    .action(async function (this: Command) {
      const flags = flagsOf(this);
      const command = await cli.print();
      checkFlags(flags, { persona: command.samplePersona });
      done(await command.printApplicationForm(flags, out));
    });

  centerFlags(
    kiosk
      .command('verify')
      .summary('Check a printed certificate as a receiving organization does')
      .description(
        'Check a printed certificate as a receiving organization does: is the code in the issuance log, and is the PDF ' +
          "the file that was printed? --var DIR reads the center's log; --center URL asks a running center. Without a token " +
          'that answer is not signed: it comes from whatever listens on that port. With --center-token FILE (a terminal\'s ' +
          'token) the call is signed and the answer must be signed by the center; the output says which it was.',
      )
      .argument('[FILE.pdf|CODE...]', 'the PDF, or its verification code (1234-5678-9012-3456)')
      .addOption(valueFlag('--var <DIR>', "the kiosk folder whose center's log to read (DIR/center/center.sqlite, read only)"))
      .addHelpText('after', `\n${VERIFY_EXIT_CODES}`),
  ).action(async function (this: Command, what: string[]) {
    done(await (await cli.verify()).verifyCommand(what, flagsOf(this), out));
  });

  const center = group(kiosk, 'center', 'The issuance center as its own process, and the terminals it serves.');
  center
    .command('serve')
    .summary('Run the issuance center for the terminals registered with it')
    .description(
      'Run the issuance center on 127.0.0.1 for the terminals registered with it (kiosk start --center URL --terminal ID ' +
        '--center-token FILE). It decides by its own clock and refuses a kiosk whose clock is further off than the tolerance.',
    )
    .addOption(valueFlag('--port <PORT>', 'the port (default 8090)', port))
    .addOption(valueFlag('--var <DIR>', "the center's state is DIR/center (default var)"))
    .addOption(valueFlag('--clock <TIME>', "real, or a Japan time to start the center's clock at", clockFlag))
    .addOption(valueFlag('--clock-tolerance <SECONDS>', 'how far off a kiosk clock may be, 1-86400 (default 300)', toleranceFlag))
    .action(async function (this: Command) {
      done(await (await cli.center()).serve(flagsOf(this), out));
    });
  centerFlags(
    center
      .command('status')
      .description(
        "A center's state: with --center URL, whether the running center answers, is online, and (with --center-token " +
          'FILE) which terminal it takes the token for; without, which process serves the folder of --var and how many ' +
          'terminals are registered. Exit 0 it answers (or the folder is usable), 1 it does not.',
      )
      .addOption(valueFlag('--var <DIR>', "the center's folder is DIR/center (default var)"))
      .option('--json', 'as JSON'),
  ).action(async function (this: Command) {
    const flags = flagsOf(this);
    done(await (await cli.center()).status(flags, sw(flags, 'json'), out));
  });
  const terminal = group(center, 'terminal', 'The register of terminals the center serves (its keys, never their tokens).');
  const centerVar = () => valueFlag('--var <DIR>', "the center's folder is DIR/center (default var)");
  const terminalAction = (sub: 'add' | 'list' | 'remove') =>
    async function (this: Command, ids: string[] = []) {
      const flags = flagsOf(this);
      done(await (await cli.center()).terminalCommand(sub, ids, flags, { json: sw(flags, 'json'), replace: sw(flags, 'replace') }, out));
    };
  terminal
    .command('add')
    .description('Register a terminal; its token goes to FILE, readable by you only, or to stdout; shown once.')
    .argument('[ID...]', 'the terminal id, e.g. K01')
    .addOption(centerVar())
    .addOption(valueFlag('--out <FILE>', 'write the token here (mode 0600) instead of stdout'))
    .option('--replace', 'give a registered terminal a new token')
    .action(terminalAction('add'));
  terminal.command('list').description('The registered terminals (never their tokens).').addOption(centerVar()).option('--json', 'as JSON').action(terminalAction('list'));
  terminal.command('remove').description('Remove a terminal: its token stops working.').argument('[ID...]', 'the terminal id').addOption(centerVar()).action(terminalAction('remove'));

  const counter = group(
    kiosk, 'counter',
    "The ward-office counter (窓口) and the 24-hour call center, on the cards of a kiosk folder (DIR/cards) and its center's records (DIR/center/center.sqlite).",
  );
  const counterVerb = (verb: CounterVerbName, description: string, extra: (cmd: Command) => Command = (c) => c) =>
    extra(
      counter
        .command(verb)
        .description(description)
        .addOption(valueFlag('--card <ID>', 'the card: its id (kiosk card list), or a persona for its current card'))
        .addOption(valueFlag('--var <DIR>', 'the kiosk folder (default var)'))
        .addOption(valueFlag('--clock <TIME>', 'real, or the Japan time the counter acts at (it checks its hours by it)', clockFlag))
        .addOption(valueFlag('--desk <NAME>', 'who is at the desk, recorded with the action (default counter)'))
        .option('--json', 'as JSON'),
    ).action(async function (this: Command) {
      const flags = flagsOf(this);
      done(await (await cli.counter()).counterCommand(verb, flags, sw(flags, 'json'), out));
    });
  const pinFlags = (c: Command) =>
    c
      .addOption(valueFlag('--pin <PIN>', 'auth (利用者証明用), sign (署名用) or kenhojo (券面事項入力補助用)', oneOf('auth', 'sign', 'kenhojo')))
      .addOption(valueFlag('--new <VALUE>', 'the new PIN: 4 digits; the signature password 6-16 of A-Z and 0-9; - reads it from stdin (never printed)'));
  counterVerb('status', "The card and the center's records of it: status, certificates, PIN counters, renewal, the counter's hours, the actions.");
  counterVerb('reset-pin', 'Reset a PIN (locked or forgotten) during the office hours; a proxy comes twice (the inquiry is mailed between).', (c) =>
    pinFlags(c)
      .addOption(valueFlag('--who <WHO>', 'holder, representative (of a holder under 15 or an adult ward) or proxy (default holder)', oneOf('holder', 'representative', 'proxy')))
      .option('--answered', "a proxy's second visit, with the holder's answered inquiry"));
  counterVerb('change-pin', 'Change a PIN the holder knows; the kiosk takes the card from the next day.', pinFlags);
  counterVerb('report-lost', 'The call to 0120-95-0178 (any hour): the card suspended, its certificates on hold.', (c) =>
    c.addOption(valueFlag('--police <NUMBER>', "the police's receipt number, when the card was lost outside or stolen")));
  counterVerb('cancel-suspension', 'The card found again: the suspension cancelled, new certificates (the held ones revoked).');
  counterVerb('reissue', 'A new card: the old one abolished with its certificates (1,000 yen; express 2,000).', (c) => c.option('--express', 'the express issuance (特急発行)'));
  counterVerb('renew', 'Renew the electronic certificates, from 3 months before they expire.');
  counterVerb('issue-certificates', 'Issue the user-authentication certificate to a card without one (declined at application), with its PIN.', (c) =>
    c.addOption(valueFlag('--new <VALUE>', 'the certificate\'s 4-digit PIN; - reads it from stdin (never printed)')));
  counterVerb('change-address', 'A change of address within the city: the signature certificate revoked, the user one kept.', (c) =>
    c.addOption(valueFlag('--to <CITY>', 'the city (its code or name): the same city; a move to another is move-out there')).addOption(valueFlag('--address <TEXT>', 'the new address')));
  counterVerb('change-name', 'A change of name: the signature certificate revoked, the user one kept.', (c) =>
    c.addOption(valueFlag('--name <NAME>', 'the new name, e.g. "川崎 花子"')));
  counterVerb('register-domicile', "The 本籍地's 利用登録 for 戸籍 at the kiosk: usable after the city's approval (2 business days).");
  counterVerb('return-card', 'The card handed back (自主返納): abolished with its certificates.');
  counterVerb('move-out', 'The moving-out notice (転出届): the kiosk refuses the holder as moved out (a card not yet continued after an earlier move lapses).');
  counterVerb('move-in', 'The moving-in notice (転入届) at the new city, within 14 days of the move-out: the signature certificate revoked; the card continued within 90 days, or it lapses.', (c) =>
    c.addOption(valueFlag('--to <CITY>', 'the new city: its code or name (e.g. 横浜市)')).addOption(valueFlag('--address <TEXT>', 'the new address')));
  counterVerb('continue-card', 'The continuation (継続利用) after a move-in: the holder enters the card\'s PIN; the kiosk takes the card from the next day.', (c) =>
    c.addOption(valueFlag('--pin <PIN>', 'the 4-digit PIN the holder enters; - reads it from stdin (never printed)')));
  counterVerb('death', 'The death notice (死亡届): the card abolished, its certificates revoked.');
  counterVerb('apply', "An application for a new card at the counter (申請時来庁方式): the office prints the form, takes the photo and sends it to J-LIS; the card reaches the office 4 weeks later (--card names the persona).", (c) =>
    c.option('--declined', 'both certificate boxes blackened: the card comes without electronic certificates').option('--braille', 'the name in Braille on the card')
      .addOption(valueFlag('--form <ID>', 'a form that came by mail, scanned here (the mail route); without it the office prints one')));
  counterVerb('notice', 'The 交付通知書 兼 照会書 of a new card waiting at the office (a PDF): where and until when to collect it, what to bring.', (c) =>
    c.addOption(valueFlag('--out <FILE>', 'where to write it (default notice-CARD.pdf)')));
  counterVerb('collect', 'A new card handed over (交付) during the office hours: the holder sets its PINs, its certificates are issued; the kiosk takes it from the next day.', (c) =>
    c
      .addOption(valueFlag('--new <VALUE>', 'the 4-digit PIN for the user-authentication (②) and card-information (④) PINs; - reads it from stdin'))
      .addOption(valueFlag('--password <VALUE>', 'the signature password (①, 6-16 of A-Z and 0-9); - reads it from stdin (after --new); never printed'))
      .addOption(valueFlag('--who <WHO>', 'holder, representative (of a holder under 15 or an adult ward) or proxy (default holder)', oneOf('holder', 'representative', 'proxy')))
      .option('--answered', "a proxy brings the notice's 照会書 answered by the holder")
      .addOption(valueFlag('--hands-back <WHAT>', 'the old cards handed back and kept by the office: juki-card, notification-card (comma-separated)')));
  counterVerb('reserve-pin-reset', 'The JPKI 暗証番号リセット app (any hour): a reset of auth or sign reserved for 24 h at a kiosk, with the other PIN.', (c) =>
    c
      .addOption(valueFlag('--pin <PIN>', 'the PIN to reset at the kiosk: auth (利用者証明用) or sign (署名用)', oneOf('auth', 'sign')))
      .addOption(valueFlag('--other <VALUE>', 'the other PIN, which the app checks; - reads it from stdin (never printed)')));

  kiosk
    .command('personas')
    .description('The sample personas: the cards an operator can insert.')
    .option('--json', 'as JSON')
    .action(async function (this: Command) {
      const { loadSampleData } = await import('../../samples/sample-data.ts');
      const personas = loadSampleData().personas.map((p) => ({ id: p.id, card: p.card.kind, label: p.label }));
      if (this.getOptionValue('json')) out.log(JSON.stringify(personas, null, 2));
      else for (const p of personas) out.log(`${p.id.padEnd(20)} ${p.card.padEnd(15)} ${p.label}`);
      done(0);
    });

  return kiosk;
}

/** Every command and subcommand, as the words that name it (`['center', 'terminal', 'add']`): for the help tests. */
export function commandNames(): string[][] {
  const walk = (cmd: Command, path: string[]): string[][] =>
    cmd.commands.filter((c) => c.name() !== 'help').flatMap((c) => [[...path, c.name()], ...walk(c, [...path, c.name()])]);
  return walk(program(console, {}, () => {}), []);
}

/** Runs the command line `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: string[], out: Console = console, o: { signal?: AbortSignal } = {}): Promise<number> {
  let code = 0;
  const kiosk = program(out, o, (c) => {
    code = c;
  });
  try {
    await kiosk.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version were printed: done. Anything else commander refuses is a wrong command line.
      if (e.exitCode === 0) return 0;
      const cmd = commandOf(kiosk, argv);
      return usage(commanderMessage(e, cmd), cmd, out);
    }
    if (e instanceof UsageError) return usage(e.message, commandOf(kiosk, argv), out);
    if (e instanceof JourneyFormatError || e instanceof StartError) {
      out.error(`kiosk: ${e.message}`);
      return 2;
    }
    // A file a command was told to write or read (--junit, --out, --html…) that the disk refuses: what and why, no stack.
    const fsError = e as NodeJS.ErrnoException;
    if (fsError?.syscall && fsError.path && fsError.code && [...FILE_ERRORS, 'ENOENT'].includes(fsError.code)) {
      out.error(`kiosk: cannot ${fsError.syscall} ${fsError.path} (${fsError.code}): choose a file in a folder that exists and can be written, with room`);
      return 2;
    }
    throw e;
  }
}

/** Commander's words in the kiosk's: `unknown flag --x`, `--x needs a value`, with its suggestion kept. */
function commanderMessage(e: CommanderError, cmd: Command): string {
  const text = e.message.replace(/^error: /, '');
  const flag = /'(-[^' ]+)/.exec(text)?.[1] ?? '';
  const hint = /\(Did you mean (.*)\?\)/.exec(text)?.[1];
  const [name, value] = flag.split(/=(.*)/s, 2);
  // A switch given a value (--json=out.json) is the switch's mistake, not an unknown flag.
  if (e.code === 'commander.unknownOption' && value !== undefined && cmd.options.some((o) => o.long === name)) return `${name} takes no value`;
  if (e.code === 'commander.unknownOption') return `unknown flag ${flag.slice(0, 40)}${hint ? ` (did you mean ${hint}?)` : ''}`;
  if (e.code === 'commander.optionMissingArgument') return `${flag} needs a value`;
  return text;
}

function usage(message: string, cmd: Command, out: Console): number {
  const where = commandPath(cmd);
  out.error(`kiosk: ${message}\n\n${cmd.helpInformation().trimEnd()}\n${where ? `(kiosk ${where} --help for this, kiosk --help for every command)` : ''}`);
  return 2;
}
