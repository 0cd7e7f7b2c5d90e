//! Containment of a run (Linux): everything a program from the page starts
//! dies with it, and it may use only so much memory, so many processes and
//! threads, and files of so many bytes.
//!
//! A process group is not enough: `setsid` leaves it, and a double fork
//! hands the grandchild to init. So the server runs each program under a
//! *keeper* ([`super::keeper`]), this tool's own binary run as `workbook
//! keeper`, which
//!
//! - makes itself a child subreaper (`prctl(PR_SET_CHILD_SUBREAPER)`): a
//!   descendant orphaned by its parent, `setsid` or not, becomes the
//!   keeper's child instead of init's, so it stays in the keeper's tree;
//! - sets the limits the kernel enforces on itself, before starting the
//!   program, which inherits them: no core dumps (`RLIMIT_CORE` 0), no file
//!   larger than the limit (`RLIMIT_FSIZE`: the writer gets `SIGXFSZ`), and
//!   at most the limit of processes and threads more than the user had
//!   (`RLIMIT_NPROC` counts every task of the user; the kernel does not
//!   apply it to root);
//! - every 100 ms reads its descendants from `/proc` (those it knows of;
//!   it looks for new ones once a second): the resident memory of each
//!   (`RssAnon`) and their number of processes and threads together; past
//!   a limit it ends the run and says which;
//! - ends the run when the program exits, when the server says so
//!   (`SIGTERM`: Stop, a time limit, the page gone) and when the server
//!   itself is gone: it kills every descendant with `SIGKILL`, reaps them,
//!   and scans again until none is left;
//! - writes what happened to a report file the server reads ([`Report`]).
//!
//! Memory is measured, not capped with `RLIMIT_AS` or `RLIMIT_DATA`: those
//! count address space a program reserves but never touches, and the
//! book's own `io_bound` example starts 10,000 threads whose 2 MiB stacks
//! reserve 20 GiB (chapter 8 says so, and that it is fine). A run that
//! allocates faster than the keeper looks can pass the limit by what it
//! touches in one poll before it is stopped.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::{Deserialize, Serialize};

/// What a contained run may use, and which program keeps it.
#[derive(Clone, Debug)]
pub struct Containment {
    /// This tool's binary, run as `KEEPER keeper ...`.
    pub keeper: PathBuf,
    /// Bytes of resident memory, of any one process of the run.
    pub memory: u64,
    /// Processes and threads, all the run's together.
    pub processes: u64,
    /// Bytes of one file written.
    pub file_size: u64,
}

impl Containment {
    /// Limits kept by the binary now running (`/proc/self/exe`: the path
    /// still names this program if a rebuild replaces the file).
    pub fn by_this_program(memory: u64, processes: u64, file_size: u64) -> Containment {
        Containment {
            keeper: PathBuf::from("/proc/self/exe"),
            memory,
            processes,
            file_size,
        }
    }

    /// `cmd` (its program, arguments, directory and environment) run by a
    /// keeper that writes its [`Report`] to `report`.
    pub fn wrap(&self, cmd: &Command, report: &Path) -> Command {
        let mut keeper = Command::new(&self.keeper);
        keeper
            .arg("keeper")
            .arg("--memory")
            .arg(self.memory.to_string())
            .arg("--processes")
            .arg(self.processes.to_string())
            .arg("--file-size")
            .arg(self.file_size.to_string())
            .arg("--report")
            .arg(report)
            .arg("--")
            .arg(cmd.get_program())
            .args(cmd.get_args());
        if let Some(dir) = cmd.get_current_dir() {
            keeper.current_dir(dir);
        }
        for (name, value) in cmd.get_envs() {
            match value {
                Some(value) => keeper.env(name, value),
                None => keeper.env_remove(name),
            };
        }
        keeper
    }
}

/// Which limit a run passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    Memory,
    Processes,
    FileSize,
}

/// A limit a run passed, and its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exceeded {
    pub what: Limit,
    pub limit: u64,
}

impl Exceeded {
    /// `used more than 2 GiB of memory and was stopped`, after "the program".
    pub fn describe(&self) -> String {
        let limit = super::bytes(usize::try_from(self.limit).unwrap_or(usize::MAX));
        match self.what {
            Limit::Memory => format!("used more than {limit} of memory and was stopped"),
            Limit::Processes => format!(
                "started more than {} processes and threads and was stopped",
                self.limit
            ),
            Limit::FileSize => {
                format!("wrote a file larger than {limit} and was stopped")
            }
        }
    }
}

/// What the keeper writes for the server when the run is over.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Report {
    /// The program's wait status (as `waitpid` gives it), if it ended by itself.
    pub status: Option<i32>,
    /// The limit that ended the run, if one did.
    pub exceeded: Option<Exceeded>,
    /// The most resident memory (bytes) one process of the run had, and
    /// the most processes and threads it had at one time.
    pub peak_memory: u64,
    pub peak_tasks: u64,
}

impl Report {
    pub fn read(path: &Path) -> Option<Report> {
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_a_learner_reads_them() {
        let gib = Exceeded {
            what: Limit::Memory,
            limit: 2 << 30,
        };
        assert_eq!(
            gib.describe(),
            "used more than 2 GiB of memory and was stopped"
        );
        let tasks = Exceeded {
            what: Limit::Processes,
            limit: 64,
        };
        assert_eq!(
            tasks.describe(),
            "started more than 64 processes and threads and was stopped"
        );
    }
}
