//! `cargo workbook [COMMAND]`: a thin dispatcher; each command lives in its module.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use workbook::{
    book, build, check, hint, list, measure, message, open, reset, serve, solution, verify, watch,
};

/// Build and serve the Parallel Rust workbook.
#[derive(Parser)]
#[command(
    name = "cargo workbook",
    version,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no command: serve, with these flags (`cargo workbook --port 4000 --no-open`)
    #[command(flatten)]
    serve: serve::ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Build the book, serve it on http://127.0.0.1:3000 and rebuild on change (default)
    Serve(serve::ServeArgs),
    /// Open the browser, signed in, on the workbook `cargo workbook` is serving
    Open(open::OpenArgs),
    /// Build the book only (default output: target/book)
    Build(build::BuildArgs),
    /// Every exercise with its status, and the next one to do
    List(list::ListArgs),
    /// Compile and run the check of one exercise (default: the next unsolved one)
    Check(check::CheckArgs),
    /// Check the current exercise each time you save it (keys: h hint, l list, q quit, then Enter)
    Watch(watch::WatchArgs),
    /// A hint for an exercise (default: the next unsolved one)
    Hint(hint::HintArgs),
    /// The solution of an exercise, once it passes its check (or with --force)
    Solution(solution::SolutionArgs),
    /// Put an exercise file back as committed in git, after backing up yours
    Reset(reset::ResetArgs),
    /// For maintainers and CI: every exercise as given fails, every solution passes
    Verify(verify::VerifyArgs),
    /// Rerun every measurement the book quotes into book/measured/<machine>/
    Measure(measure::MeasureArgs),
    /// For maintainers: number the exercises in reading order, renaming all their files
    #[command(hide = true)]
    Renumber(workbook::exercises::renumber::RenumberArgs),
    /// The quiz preprocessor over mdBook's protocol, for a plain `mdbook build`
    #[command(hide = true)]
    QuizPreprocessor { args: Vec<String> },
    /// Keeps one run from the page: its limits, and everything it started dies with it
    #[cfg(target_os = "linux")]
    #[command(hide = true)]
    Keeper(workbook::process::keeper::KeeperArgs),
}

fn main() -> ExitCode {
    message::install_panic_hook();
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve(cli.serve));
    if matches!(
        command,
        Command::Serve(_)
            | Command::Open(_)
            | Command::List(_)
            | Command::Check(_)
            | Command::Watch(_)
            | Command::Hint(_)
            | Command::Solution(_)
            | Command::Reset(_)
    ) {
        // The learner's commands move their work along a renumbering first.
        workbook::exercises::migrate::on_start(&workbook::paths::repo_root());
    }
    let result = match command {
        Command::Serve(args) => serve::run(args),
        Command::Open(args) => open::run(args),
        Command::Build(args) => build::run(args),
        Command::List(args) => list::run(args),
        Command::Check(args) => check::run(args),
        Command::Watch(args) => watch::run(args),
        Command::Hint(args) => hint::run(args),
        Command::Solution(args) => solution::run(args),
        Command::Reset(args) => reset::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Measure(args) => measure::run(args),
        Command::Renumber(args) => workbook::exercises::renumber::run(args),
        Command::QuizPreprocessor { args } => book::quiz::run_as_mdbook_command(&args),
        #[cfg(target_os = "linux")]
        Command::Keeper(args) => workbook::process::keeper::keep(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            message::report_error(&e);
            ExitCode::FAILURE
        }
    }
}
