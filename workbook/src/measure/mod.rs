//! `cargo workbook measure [--only NAME]`: reruns every measurement the book
//! quotes and writes each to `book/measured/<machine>/<NAME>.txt`.
//!
//! The measurements are listed once, in `book/measured/measurements.toml`.
//! Each file starts with a header naming the machine (CPU, cores, OS, rustc,
//! Python where a measurement runs it), the date, the load average before
//! and after, and the idle CPU share in the second before each shown step,
//! then shows every command as `$ command` followed by what it printed on
//! stdout. Chapters `{{#include}}` these files, so a command and its output
//! can never disagree.
//!
//! Before each shown step it waits for a quiet machine: until at least
//! `--quiet-idle` percent of all CPU time was idle over one second, for at
//! most `--quiet-wait` seconds per file; once that is spent, the remaining
//! steps run at once and the header says that the machine was not quiet.
//! The idle share comes from `/proc/stat`, so only Linux has it: on macOS
//! (and Windows) nothing is waited for, and the header says the idle share
//! is unknown and gives the load average alone. The load average is a
//! damped average over a minute (and on Linux counts tasks waiting for a
//! disk too), so it still shows the previous step for a while after the
//! machine has gone quiet; the idle share of the last second does not.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;

use crate::message::one_line;
use crate::process::{self, Limits, Supervised};
use crate::{files, paths};

mod machine;
pub use machine::{CpuTimes, cpu_times, idle_share, idle_share_over, parse_proc_stat};
pub use machine::{Machine, slug};
use machine::{load_average, python_build};

/// `cargo workbook measure`
#[derive(clap::Args, Debug, Clone, Default)]
pub struct MeasureArgs {
    /// Redo only these measurements (repeatable; see --list)
    #[arg(long, value_name = "NAME")]
    pub only: Vec<String>,
    /// List the measurements and exit
    #[arg(long)]
    pub list: bool,
    /// The machine's directory under book/measured/ [default: from the CPU model and core count]
    #[arg(long, value_name = "NAME")]
    pub machine: Option<String>,
    /// Before each step, wait until this share of all CPU time was idle over one second (Linux)
    #[arg(long, value_name = "PERCENT", default_value_t = 90, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub quiet_idle: u8,
    /// The longest wait for a quiet machine, per file; then the steps run anyway and the header says so (0: never wait)
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    pub quiet_wait: u64,
}

/// How `measure` waits for a quiet machine before each shown step.
#[derive(Debug, Clone, Copy)]
pub struct Quiet {
    /// The idle share (0 to 1) that counts as quiet.
    pub idle: f64,
    /// The most time one file may spend waiting, over all its steps.
    pub budget: Duration,
    /// How long each reading of the idle share lasts.
    pub window: Duration,
}

impl Quiet {
    pub fn from_args(args: &MeasureArgs) -> Quiet {
        Quiet {
            idle: f64::from(args.quiet_idle) / 100.0,
            budget: Duration::from_secs(args.quiet_wait),
            window: Duration::from_secs(1),
        }
    }
}

/// The idle share just before one step: `None` where the system has no
/// `/proc/stat`. `quiet` is false when the step started below the
/// threshold because the file's waiting time had run out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepIdle {
    pub share: Option<f64>,
    pub quiet: bool,
}

/// Reads the idle share (each reading takes `quiet.window`) until it
/// reaches `quiet.idle` or `budget_left` is spent; every reading after the
/// first takes its window out of `budget_left`. `read` is
/// [`idle_share_over`] in `measure`, and a script of readings in tests.
pub fn settle(
    quiet: &Quiet,
    budget_left: &mut Duration,
    mut read: impl FnMut(Duration) -> Option<f64>,
) -> StepIdle {
    loop {
        let Some(share) = read(quiet.window) else {
            return StepIdle {
                share: None,
                quiet: true,
            };
        };
        if share >= quiet.idle {
            return StepIdle {
                share: Some(share),
                quiet: true,
            };
        }
        if budget_left.is_zero() {
            return StepIdle {
                share: Some(share),
                quiet: false,
            };
        }
        *budget_left = budget_left.saturating_sub(quiet.window);
    }
}

/// The header's line about the idle share: one percentage per shown step,
/// in order, a `*` on each that started below the threshold, and why.
pub fn idle_header(steps: &[StepIdle], quiet: &Quiet) -> String {
    if steps.iter().any(|s| s.share.is_none()) || steps.is_empty() {
        return "# idle CPU share: unknown here (it is read from /proc/stat, which only Linux has); \
                see the load average\n"
            .to_string();
    }
    let threshold = (quiet.idle * 100.0).round();
    let shares: Vec<String> = steps
        .iter()
        .map(|s| {
            let percent = (s.share.unwrap_or(0.0) * 100.0).floor();
            format!("{percent:.0}%{}", if s.quiet { "" } else { "*" })
        })
        .collect();
    let mut text = format!(
        "# idle CPU share in the second before each step: {} (waited for {threshold:.0}%, up to {} s per file)\n",
        shares.join(", "),
        quiet.budget.as_secs()
    );
    if steps.iter().any(|s| !s.quiet) {
        text.push_str(&format!(
            "# NOT QUIET: the steps marked * started below {threshold:.0}% idle, after this file's {} s of waiting ran out\n",
            quiet.budget.as_secs()
        ));
    }
    text
}

/// One `[[measurement]]` of `book/measured/measurements.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measurement {
    pub name: String,
    pub about: String,
    /// The header also names Python's version and build.
    #[serde(default)]
    pub python: bool,
    /// Seconds each step may run before its process group is killed.
    #[serde(default = "default_limit_s")]
    pub limit_s: u64,
    pub steps: Vec<Step>,
}

fn default_limit_s() -> u64 {
    600
}

/// One command of a measurement: split into words as a shell would, but
/// never run by a shell (nothing is expanded).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub run: String,
    /// False for set-up steps (compiling a C program): neither the command
    /// nor its output goes into the file.
    #[serde(default = "yes")]
    pub show: bool,
    #[serde(default)]
    pub env: std::collections::BTreeMap<String, String>,
    /// Runs the command this many times (1 to 100): the file shows the
    /// command once, marked `# N runs`, then every run's output in order.
    #[serde(default = "once")]
    pub repeat: u32,
}

fn yes() -> bool {
    true
}

fn once() -> u32 {
    1
}

/// The most times a step may repeat: more belongs in the program (a
/// `--runs` or `--repeats` flag with a summary), not in the measured file.
const MAX_REPEAT: u32 = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    measurement: Vec<Measurement>,
}

/// The registry file.
pub fn registry_file(root: &Path) -> PathBuf {
    root.join("book").join("measured").join("measurements.toml")
}

/// Reads and checks the registry: names unique and usable as file names,
/// every step splits into words.
pub fn load(root: &Path) -> Result<Vec<Measurement>> {
    let file = registry_file(root);
    let shown = paths::display_rel(root, &file);
    let text = std::fs::read_to_string(&file).map_err(|e| anyhow!("cannot read {shown}: {e}"))?;
    let table: Table =
        toml::from_str(&text).map_err(|e| anyhow!("{shown}: {}", one_line(&e.to_string())))?;
    let mut seen = std::collections::HashSet::new();
    for m in &table.measurement {
        let ok = !m.name.is_empty()
            && m.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            bail!(
                "{shown}: measurement name {:?}: use a-z, 0-9 and '-'",
                m.name
            );
        }
        if !seen.insert(m.name.clone()) {
            bail!("{shown}: measurement {} is listed twice", m.name);
        }
        if m.steps.is_empty() {
            bail!("{shown}: measurement {} has no steps", m.name);
        }
        for step in &m.steps {
            words(&step.run).map_err(|e| anyhow!("{shown}: measurement {}: {e}", m.name))?;
            if !(1..=MAX_REPEAT).contains(&step.repeat) {
                bail!(
                    "{shown}: measurement {}: repeat = {} (use 1 to {MAX_REPEAT})",
                    m.name,
                    step.repeat
                );
            }
        }
    }
    Ok(table.measurement)
}

/// `run` as words; an error for unbalanced quotes or an empty command.
fn words(run: &str) -> Result<Vec<String>> {
    match shlex::split(run) {
        Some(words) if !words.is_empty() => Ok(words),
        Some(_) => bail!("an empty step"),
        None => bail!("cannot split `{run}` into words (unbalanced quotes?)"),
    }
}

/// Entry point of `cargo workbook measure`.
pub fn run(args: MeasureArgs) -> Result<()> {
    let root = paths::repo_root();
    let all = load(&root)?;
    if args.list {
        let width = all.iter().map(|m| m.name.len()).max().unwrap_or(0);
        for m in &all {
            println!("{:<width$}  {}", m.name, m.about);
        }
        return Ok(());
    }
    let chosen: Vec<&Measurement> = if args.only.is_empty() {
        all.iter().collect()
    } else {
        args.only
            .iter()
            .map(|name| {
                all.iter().find(|m| &m.name == name).ok_or_else(|| {
                    anyhow!("no measurement {name} in book/measured/measurements.toml (see --list)")
                })
            })
            .collect::<Result<_>>()?
    };
    let machine = Machine::detect();
    let slug = match &args.machine {
        Some(name) => {
            if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
                bail!("--machine {name:?}: give a plain directory name");
            }
            name.clone()
        }
        None => machine.slug(),
    };
    let out_dir = root.join("book").join("measured").join(&slug);
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| anyhow!("cannot create {}: {e}", out_dir.display()))?;

    // Compile first, so that no measured command includes a build.
    eprintln!("Building the examples (release) before measuring");
    let mut cargo = process::cargo();
    cargo
        .args(["build", "--release", "--examples"])
        .current_dir(&root);
    let build = Supervised::new(cargo, Limits::generous()).run()?;
    if !build.success() {
        eprint!("{}", build.stderr);
        bail!("cargo build --release --examples failed: nothing was measured");
    }

    let bar = ProgressBar::new(chosen.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed_precise} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut failed = Vec::new();
    let quiet = Quiet::from_args(&args);
    for m in chosen {
        bar.set_message(m.name.clone());
        match measure_one(&root, &machine, &slug, m, &quiet) {
            Ok(text) => {
                let file = out_dir.join(format!("{}.txt", m.name));
                files::write_atomically(&file, text.as_bytes())
                    .map_err(|e| anyhow!("cannot write {}: {e}", file.display()))?;
                // `println` on a hidden bar (stderr not a terminal) prints
                // nothing; `suspend` prints either way.
                bar.suspend(|| eprintln!("wrote {}", paths::display_rel(&root, &file)));
            }
            Err(e) => {
                bar.suspend(|| eprintln!("error: {}: {}", m.name, one_line(&format!("{e:#}"))));
                failed.push(m.name.clone());
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    if !failed.is_empty() {
        bail!(
            "{} measurement(s) failed and were not written: {}",
            failed.len(),
            failed.join(", ")
        );
    }
    Ok(())
}

/// Runs one measurement; returns the file's text.
/// `{machine}` in a step stands for this machine's directory name (a step
/// that copies a figure next to the text file names it so).
fn measure_one(
    root: &Path,
    machine: &Machine,
    slug: &str,
    m: &Measurement,
    quiet: &Quiet,
) -> Result<String> {
    let mut budget_left = quiet.budget;
    let mut idle = Vec::new();
    let before = load_average();
    let mut body = String::new();
    // What a measured program prints is small; more is a runaway.
    let limits = Limits {
        time: Duration::from_secs(m.limit_s),
        output: 16 << 20,
    };
    for step in &m.steps {
        let words: Vec<String> = words(&step.run)?
            .into_iter()
            .map(|w| w.replace("{machine}", slug))
            .collect();
        if step.show {
            let env: String = step
                .env
                .iter()
                .map(|(k, v)| format!("{k}={} ", quote(v)))
                .collect();
            let runs = if step.repeat > 1 {
                format!("  # {} runs", step.repeat)
            } else {
                String::new()
            };
            body.push_str(&format!("$ {env}{}{runs}\n", step.run));
            // Set-up steps (a compiler) load the machine; the shown step
            // after them waits for it to be quiet again.
            idle.push(settle(quiet, &mut budget_left, idle_share_over));
        }
        for _ in 0..step.repeat {
            let mut cmd = if words[0] == "cargo" {
                process::cargo()
            } else {
                std::process::Command::new(&words[0])
            };
            cmd.args(&words[1..]).envs(&step.env).current_dir(root);
            let out = Supervised::new(cmd, limits).run()?;
            if !out.success() {
                let last = out.stderr.lines().rev().find(|l| !l.trim().is_empty());
                bail!(
                    "`{}` failed ({}){}",
                    step.run,
                    out.describe(),
                    last.map(|l| format!(": {l}")).unwrap_or_default()
                );
            }
            if step.show {
                body.push_str(&out.stdout);
                if !out.stdout.is_empty() && !out.stdout.ends_with('\n') {
                    body.push('\n');
                }
            }
        }
    }
    let after = load_average();
    let mut text = format!("# machine: {}\n", machine.describe());
    if m.python {
        text.push_str(&format!("# python: {}\n", python_build()));
    }
    text.push_str(&format!(
        "# measured {} · load average {} before, {} after\n",
        jiff::Timestamp::now().strftime("%Y-%m-%d %H:%M UTC"),
        before.as_deref().unwrap_or("unknown"),
        after.as_deref().unwrap_or("unknown"),
    ));
    text.push_str(&idle_header(&idle, quiet));
    text.push_str(&format!("# by: cargo workbook measure --only {}\n", m.name));
    text.push_str(&body);
    Ok(text)
}

fn quote(value: &str) -> String {
    if value.contains(char::is_whitespace) {
        format!("\"{value}\"")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_split_without_a_shell() {
        assert_eq!(
            words("cargo run --example x -- --n 1e9").unwrap(),
            ["cargo", "run", "--example", "x", "--", "--n", "1e9"]
        );
        assert_eq!(words("echo '$HOME'").unwrap(), ["echo", "$HOME"]);
        assert!(words("echo 'open").is_err());
        assert!(words("  ").is_err());
    }

    #[test]
    fn a_step_runs_once_unless_it_repeats() {
        let table: Table = toml::from_str(
            r#"
            [[measurement]]
            name = "x"
            about = "x"
            steps = [{ run = "true" }, { run = "true", repeat = 3 }]
            "#,
        )
        .unwrap();
        let steps = &table.measurement[0].steps;
        assert_eq!((steps[0].repeat, steps[1].repeat), (1, 3));
    }
}
