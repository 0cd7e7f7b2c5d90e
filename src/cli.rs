//! The command line every example shares: the common flags, the example's
//! own, and the one-line refusal of bad input. (What a run prints is
//! [`crate::report`]; how it is timed, [`crate::measure`].)
//!
//! ```text
//! cargo run --release --example NAME -- [--a A] [--b B] [--n N] [--threads T] [--json] [--compare]
//! ```
//! An example with no flags of its own calls [`Args::parse`]. One with flags
//! of its own declares them in a `#[derive(clap::Args)]` struct and calls
//! [`parse`], which returns the common [`Args`] and those flags. An example
//! that takes none of the common flags calls [`parse_own_flags`]. Each names
//! itself in its usage line with the name of the program that runs.

use crate::machine::default_threads;
use crate::problem::{MAX_N, Problem};
use crate::timeline;
use crate::work::{self, Work};
use clap::{CommandFactory, FromArgMatches, Parser};
use std::cell::OnceCell;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// The most threads (or worker processes) an example will start.
pub const MAX_THREADS: usize = 1024;

/// The flags every example accepts.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// Lower bound of the interval
    #[arg(long, default_value_t = Problem::DEFAULT_A, value_parser = parse_bound, allow_hyphen_values = true)]
    pub a: f64,

    /// Upper bound of the interval
    #[arg(long, default_value_t = Problem::DEFAULT_B, value_parser = parse_bound, allow_hyphen_values = true)]
    pub b: f64,

    /// Number of points N (1e8 and 100_000_000 are accepted) [default: set by each example]
    #[arg(long, value_parser = parse_count)]
    pub n: Option<u64>,

    /// Number of threads or workers T [default: the number of cores]
    #[arg(long, short = 't', value_parser = parse_threads)]
    pub threads: Option<usize>,

    /// Print one JSON object per run instead of a text line
    #[arg(long)]
    pub json: bool,

    /// Also time the sequential sum, and print the speed-up against it
    #[arg(long)]
    pub compare: bool,

    /// Record what each worker thread did and when: writes FILE.json (a trace for
    /// ui.perfetto.dev) and FILE.svg (a chart). A bare name goes to target/timelines/
    #[arg(long, value_name = "FILE")]
    pub timeline: Option<PathBuf>,

    /// How costly each term is: uneven makes later terms up to 16 times dearer (same sum)
    #[arg(long, value_enum, default_value_t = Work::Even)]
    pub work: Work,

    #[arg(skip)]
    default_n: u64,

    /// The sequential baseline, measured once (see [`Args::sequential_seconds`]).
    #[arg(skip)]
    pub(crate) sequential_seconds: OnceCell<f64>,
}

/// The whole command line of an example: the common flags, then its own.
#[derive(Parser, Debug)]
struct WithFlags<E: clap::Args> {
    #[command(flatten)]
    args: Args,
    #[command(flatten)]
    own: E,
}

/// The command line of an example that takes only its own flags.
#[derive(Parser, Debug)]
struct OwnFlagsOnly<E: clap::Args> {
    #[command(flatten)]
    own: E,
}

/// The own flags of an example that has none.
#[derive(clap::Args, Debug)]
pub struct NoFlags {}

/// Parses the common flags and the example's own flags `E`, with
/// `default_n` as its default N, and checks the combination of values. Bad
/// input exits with a one-line error naming the flag and clap's usage exit code.
pub fn parse<E: clap::Args>(about: &str, default_n: u64) -> (Args, E) {
    parse_from(about, default_n, std::env::args_os())
}

/// [`parse`], from the given arguments instead of the process's. The first
/// argument is the program, as in [`std::env::args_os`]: it names the example.
pub fn parse_from<E, I, T>(about: &str, default_n: u64, argv: I) -> (Args, E)
where
    E: clap::Args,
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let argv: Vec<OsString> = argv.into_iter().map(Into::into).collect();
    let command = example_command(command_with_flags::<E>(), &argv, about);
    let (args, own) =
        try_parse_command(command, default_n, argv).unwrap_or_else(|stop| stop.exit());
    // Before any worker starts: every thread of the run reads it.
    work::set(args.work);
    (args, own)
}

/// Parses the flags of an example that takes none of the common ones. Bad
/// input exits as in [`parse`]: one line, clap's usage exit code.
pub fn parse_own_flags<E: clap::Args>(about: &str) -> E {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let command = example_command(command_own_flags::<E>(), &argv, about);
    try_parse_own_flags(command, argv).unwrap_or_else(|stop| stop.exit())
}

/// The parser of the common flags followed by `E`, to name and describe
/// (a program started some other way than `cargo run --example`, whose
/// usage line must say so), then give to [`try_parse_command`].
pub fn command_with_flags<E: clap::Args>() -> clap::Command {
    WithFlags::<E>::command()
}

/// The parser of `E` alone, for [`try_parse_own_flags`].
pub fn command_own_flags<E: clap::Args>() -> clap::Command {
    OwnFlagsOnly::<E>::command()
}

/// Parses `argv` with `command` (from [`command_with_flags`]) and checks the
/// values, handing back what [`parse`] would print and exit with: for a
/// program where only one of several processes may print (the MPI ranks of
/// `distributed/`), each of which must still stop.
pub fn try_parse_command<E, I, T>(
    command: clap::Command,
    default_n: u64,
    argv: I,
) -> Result<(Args, E), Stop>
where
    E: clap::Args,
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    remember_run_command(&command);
    let matches = command.try_get_matches_from(argv).map_err(Stop::from)?;
    let WithFlags { mut args, own } = WithFlags::<E>::from_arg_matches(&matches)?;
    args.default_n = default_n;
    args.validate().map_err(Stop::Invalid)?;
    Ok((args, own))
}

/// [`try_parse_command`] for a parser from [`command_own_flags`].
pub fn try_parse_own_flags<E, I, T>(mut command: clap::Command, argv: I) -> Result<E, Stop>
where
    E: clap::Args,
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    remember_run_command(&command);
    let matches = command.try_get_matches_from_mut(argv)?;
    OwnFlagsOnly::<E>::from_arg_matches(&matches)
        .map(|parsed| parsed.own)
        .map_err(|e| Stop::from(e.format(&mut command)))
}

/// Why parsing stopped short of a run: `--help` or `--version` (exit 0), or
/// bad input (one line, exit 2).
#[derive(Debug)]
pub enum Stop {
    /// `--help`, `--version`, or no arguments where some are required: clap's text.
    Display(clap::Error),
    /// Bad input: the message for `error: {message}`.
    Invalid(String),
}

impl Stop {
    /// Prints what [`Stop::exit`] would print, without exiting.
    pub fn print(&self) {
        match self {
            Stop::Display(help) => {
                let _ = help.print();
            }
            Stop::Invalid(message) => eprintln!("error: {message}"),
        }
    }

    /// The exit code: 0 for help and version, clap's usage code (2) for bad input.
    pub fn exit_code(&self) -> i32 {
        match self {
            Stop::Display(help) => help.exit_code(),
            Stop::Invalid(_) => 2,
        }
    }

    /// Prints and exits, as every example does on bad input.
    pub fn exit(&self) -> ! {
        self.print();
        std::process::exit(self.exit_code())
    }
}

/// `command`, named for the example that runs, so that its usage line
/// reads `cargo run --release --example NAME -- ...`.
fn example_command(command: clap::Command, argv: &[OsString], about: &str) -> clap::Command {
    let name = example_name(argv.first().map(OsString::as_os_str));
    command
        .name(name.clone())
        .bin_name(format!("cargo run --release --example {name} --"))
        .about(about.to_owned())
}

/// The command that runs this program, up to its flags, as its usage line
/// says it (`cargo run --release -p workbook-async --example NAME --`),
/// kept when the command line is parsed: a trace records the command that
/// made it, and only the parser knows which package the example is in.
static RUN_COMMAND: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn remember_run_command(command: &clap::Command) {
    if let Some(bin_name) = command.get_bin_name() {
        // The first parse names the program; a later one (a test's) does not.
        let _ = RUN_COMMAND.set(bin_name.to_owned());
    }
}

/// The command that is running, up to its flags: the usage line's (see
/// [`RUN_COMMAND`]), or `cargo run --release --example NAME --` where the
/// command line was not parsed by this module.
pub(crate) fn run_command() -> String {
    RUN_COMMAND.get().cloned().unwrap_or_else(|| {
        let program = std::env::args_os().next();
        let name = example_name(program.as_deref());
        format!("cargo run --release --example {name} --")
    })
}

/// The example's name: the file stem of the program that runs
/// (`target/release/examples/mutex` is `mutex`). Cargo names each example's
/// binary after its file, so this is the name `--example` takes.
pub(crate) fn example_name(program: Option<&OsStr>) -> String {
    program
        .map(Path::new)
        .and_then(Path::file_stem)
        .filter(|stem| !stem.is_empty())
        .map_or_else(
            || "example".to_owned(),
            |stem| stem.to_string_lossy().into_owned(),
        )
}

impl Args {
    /// Parses the common flags for an example with none of its own.
    pub fn parse(about: &str, default_n: u64) -> Args {
        parse::<NoFlags>(about, default_n).0
    }

    fn validate(&self) -> Result<(), String> {
        let problem = Problem::new(self.a, self.b, self.n()).map_err(|e| e.to_string())?;
        if let Some(given) = &self.timeline {
            timeline::output_files(given)?;
        }
        if self.threads() as u64 > problem.n {
            return Err(format!(
                "--threads {} is more than --n {}: each thread needs at least one point",
                self.threads(),
                problem.n
            ));
        }
        Ok(())
    }

    /// The same arguments with T fixed: the sequential examples report T = 1.
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads);
        self
    }

    /// N: `--n`, or the example's default.
    pub fn n(&self) -> u64 {
        self.n.unwrap_or(self.default_n)
    }

    /// The problem the flags describe (already checked by [`parse`]).
    pub fn problem(&self) -> Problem {
        Problem {
            a: self.a,
            b: self.b,
            n: self.n(),
        }
    }

    /// T: `--threads`, or as many as the machine runs at once (but not more than N).
    pub fn threads(&self) -> usize {
        self.threads
            .unwrap_or_else(|| default_threads().min(self.n().try_into().unwrap_or(usize::MAX)))
    }

    /// Refuses `--timeline` in a program that runs many strategies (`scaling`,
    /// `compare`): one line, exit 2.
    pub fn refuse_timeline(&self, program: &str) {
        if self.timeline.is_some() {
            exit_with_error(&format!(
                "--timeline: {program} runs many strategies; record one example at a time"
            ));
        }
    }

    /// Refuses `--work uneven` in a program whose runs cannot all do it
    /// (`compare`, whose Python rows know only even work).
    pub fn refuse_uneven_work(&self, program: &str) {
        if self.work == Work::Uneven {
            exit_with_error(&format!("--work uneven: {program} measures even work only"));
        }
    }
}

fn parse_bound(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number"))?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(format!("'{text}' is not a finite number"))
    }
}

/// A count such as `1000`, `1_000_000` or `1e9` (a whole number, at least 1).
pub fn parse_count(text: &str) -> Result<u64, String> {
    let clean: String = text.trim().chars().filter(|&c| c != '_').collect();
    let value = match clean.parse::<u64>() {
        Ok(v) => v,
        Err(_) => {
            let v: f64 = clean
                .parse()
                .map_err(|_| format!("'{text}' is not a whole number"))?;
            if !(v.is_finite() && v.fract() == 0.0 && v >= 0.0) {
                return Err(format!("'{text}' is not a whole number"));
            }
            if v > MAX_N as f64 {
                return Err(format!("'{text}' is more than 2^53 = {MAX_N}"));
            }
            v as u64
        }
    };
    if value == 0 {
        return Err("must be at least 1".into());
    }
    if value > MAX_N {
        return Err(format!("'{text}' is more than 2^53 = {MAX_N}"));
    }
    Ok(value)
}

/// A thread count from 1 to [`MAX_THREADS`].
pub fn parse_threads(text: &str) -> Result<usize, String> {
    let value = parse_count(text)?;
    if value > MAX_THREADS as u64 {
        return Err(format!("at most {MAX_THREADS} threads"));
    }
    Ok(value as usize)
}

/// `--help` and `--version` stay as clap prints them; a real error becomes
/// its first line only ("invalid value '0' for '--threads <THREADS>': ..."),
/// without clap's usage block.
impl From<clap::Error> for Stop {
    fn from(error: clap::Error) -> Stop {
        use clap::error::ErrorKind::{
            DisplayHelp, DisplayHelpOnMissingArgumentOrSubcommand, DisplayVersion,
        };
        if matches!(
            error.kind(),
            DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand
        ) {
            return Stop::Display(error);
        }
        let rendered = error.render().to_string();
        Stop::Invalid(
            rendered
                .lines()
                .next()
                .unwrap_or("invalid arguments")
                .trim_start_matches("error: ")
                .to_owned(),
        )
    }
}

/// Prints `error: {message}` on stderr and exits with clap's usage exit code (2).
pub fn exit_with_error(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(clap::Args, Debug)]
    struct OwnFlags {
        /// A flag of the example's own
        #[arg(long, default_value_t = 3)]
        rounds: u32,
    }

    #[test]
    fn the_example_is_named_after_the_program_that_runs() {
        let name = |program: &str| example_name(Some(OsStr::new(program)));
        assert_eq!(name("target/release/examples/mutex"), "mutex");
        assert_eq!(name("/abs/examples/scoped_threads"), "scoped_threads");
        assert_eq!(name("queue"), "queue");
        assert_eq!(name("examples/rayon.exe"), "rayon");
        assert_eq!(name(""), "example");
        assert_eq!(example_name(None), "example");
    }

    #[test]
    fn the_usage_line_says_how_to_run_the_example_with_cargo() {
        let argv = [OsString::from("target/debug/examples/mutex")];
        let mut command = example_command(command_with_flags::<OwnFlags>(), &argv, "About it");
        let usage = command.render_usage().to_string();
        assert_eq!(
            usage,
            "Usage: cargo run --release --example mutex -- [OPTIONS]"
        );
        let help = command.render_help().to_string();
        assert!(help.starts_with("About it\n"), "{help}");
        // The common flags come first, then the example's own.
        let threads = help.find("--threads").expect("common flags in the help");
        let rounds = help.find("--rounds").expect("own flags in the help");
        assert!(threads < rounds, "{help}");
    }

    #[test]
    fn one_call_returns_the_common_flags_and_the_examples_own() {
        let (args, own) = parse_from::<OwnFlags, _, _>(
            "About it",
            1000,
            ["mutex", "--threads", "2", "--rounds", "7", "--json"],
        );
        assert_eq!((args.n(), args.threads(), args.json), (1000, 2, true));
        assert_eq!(own.rounds, 7);

        let (args, own) = parse_from::<OwnFlags, _, _>("About it", 1000, ["mutex", "--n", "1e6"]);
        assert_eq!((args.n(), args.compare), (1_000_000, false));
        assert_eq!(own.rounds, 3);
    }

    fn try_parse(argv: &[&str]) -> Result<Args, Stop> {
        let command = command_with_flags::<NoFlags>();
        try_parse_command::<NoFlags, _, _>(command, 10, argv.iter().copied()).map(|(args, _)| args)
    }

    #[test]
    fn try_parse_hands_back_what_parse_would_print() {
        let args = try_parse(&["x", "--n", "1e3", "--threads", "2"]).unwrap();
        assert_eq!((args.n(), args.threads()), (1000, 2));
        assert_eq!(
            try_parse(&["x"]).unwrap().n(),
            10,
            "the example's default N"
        );
        let refusal = |argv: &[&str]| match try_parse(argv) {
            Err(stop @ Stop::Invalid(_)) => {
                assert_eq!(stop.exit_code(), 2);
                let Stop::Invalid(message) = stop else {
                    unreachable!()
                };
                message
            }
            other => panic!("{argv:?}: expected a refusal, got {other:?}"),
        };
        assert!(refusal(&["x", "--n", "0"]).starts_with("invalid value '0' for '--n <N>'"));
        assert_eq!(
            refusal(&["x", "--n", "3", "--threads", "4"]),
            "--threads 4 is more than --n 3: each thread needs at least one point"
        );
        match try_parse(&["x", "--help"]) {
            Err(stop @ Stop::Display(_)) => assert_eq!(stop.exit_code(), 0),
            other => panic!("--help: {other:?}"),
        }
    }
}
