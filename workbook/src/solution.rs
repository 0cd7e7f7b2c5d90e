//! `cargo workbook solution NAME`: a solution, once the exercise has passed
//! its check (or with `--force`).

use anyhow::{Result, anyhow};

use crate::exercises::{Exercise, Exercises, Progress, Status};

/// `cargo workbook solution NAME`
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SolutionArgs {
    /// Exercise name, number or unique prefix
    pub name: String,
    /// Show it even though the exercise has not passed its check yet
    #[arg(long)]
    pub force: bool,
}

/// Entry point of `cargo workbook solution`.
pub fn run(args: SolutionArgs) -> Result<()> {
    let exercises = Exercises::load(&crate::paths::repo_root())?;
    let ex = exercises.find(&args.name)?;
    let text = read(&exercises, ex, args.force)?;
    println!(
        "// {} — a solution ({})",
        ex.name,
        exercises.show(&exercises.solution_file(ex))
    );
    print!("{text}");
    Ok(())
}

/// The solution of `ex`; an error until it has passed, unless `force`.
pub fn read(exercises: &Exercises, ex: &Exercise, force: bool) -> Result<String> {
    if !force && Progress::load(&exercises.root)?.status(&ex.name) != Status::Passed {
        return Err(anyhow!(
            "{0} has not passed its check yet: solve it first (`cargo workbook check {0}`), or see the solution anyway with `cargo workbook solution {0} --force`",
            ex.name
        ));
    }
    let file = exercises.solution_file(ex);
    std::fs::read_to_string(&file)
        .map_err(|e| anyhow!("cannot read {}: {e}", exercises.show(&file)))
}
