//! One MPI rank's view of the job: MPI started, the shared command line read
//! on every rank, the work timed across all of them, and a panic anywhere
//! ending the whole job instead of hanging it.

use std::time::{Duration, Instant};

use mpi::Threading;
use mpi::environment::Universe;
use mpi::topology::SimpleCommunicator;
use mpi::traits::*;
use parallel_workbook::cli::{self, Args, NoFlags, Stop};
use parallel_workbook::{Problem, Report};

/// The rank that collects the result and alone prints it.
pub const ROOT: i32 = 0;

/// This process's place in the MPI job. Dropping it ends MPI on this rank
/// (`MPI_Finalize`), which waits for the other ranks to end it too.
pub struct Ranks {
    world: SimpleCommunicator,
    example: String,
    // Taken (and so dropped: MPI_Finalize) only by `stop`, or at the end.
    universe: Option<Universe>,
}

impl Ranks {
    /// Starts MPI on this rank, for the program `example`. From here on, a
    /// panic on any thread of any rank ends the whole job.
    ///
    /// `threading` is how many of this rank's threads will call MPI:
    /// [`Threading::Single`] for one thread, [`Threading::Funneled`] when
    /// other threads compute but only the main thread calls MPI.
    pub fn start(threading: Threading, example: &str) -> Ranks {
        let Some((universe, provided)) = mpi::initialize_with_threading(threading) else {
            cli::exit_with_error("MPI is already running in this process");
        };
        end_the_job_on_panic();
        let mut ranks = Ranks {
            world: universe.world(),
            example: example.to_owned(),
            universe: Some(universe),
        };
        if level(provided) < level(threading) {
            ranks.refuse(&format!(
                "this MPI library offers threading level {provided:?}; {example} needs {threading:?}"
            ));
        }
        ranks
    }

    /// Reads the shared command line and the program's own flags `E`, with
    /// `default_n` as the default N. Every rank reads the same arguments and
    /// so reaches the same verdict: on bad input or `--help` only the root
    /// prints, and every rank stops. More ranks than points are refused.
    pub fn parse_args<E: clap::Args>(&mut self, about: &str, default_n: u64) -> (Args, E) {
        let command = self.command(cli::command_with_flags::<E>(), about);
        let parsed = cli::try_parse_command(command, default_n, std::env::args_os());
        let (args, own) = parsed.unwrap_or_else(|stop| self.stop(stop));
        // The ranks time and report through `measure` below, which records
        // no timeline and does no uneven work: refuse those flags, never ignore them.
        if args.timeline.is_some() {
            self.refuse(
                "--timeline: the MPI examples record no timeline (their workers are ranks)",
            );
        }
        if args.work != parallel_workbook::work::Work::Even {
            self.refuse("--work uneven: the MPI examples do even work only");
        }
        let (n, size) = (args.n(), self.size());
        if size as u64 > n {
            self.refuse(&format!(
                "{size} ranks is more than --n {n}: each rank needs at least one point"
            ));
        }
        (args, own)
    }

    /// [`parse_args`](Self::parse_args) for a program with only the shared flags.
    pub fn args(&mut self, about: &str, default_n: u64) -> Args {
        self.parse_args::<NoFlags>(about, default_n).0
    }

    /// [`parse_args`](Self::parse_args) for a program whose flags are all its
    /// own (no integral to compute).
    pub fn parse_flags<E: clap::Args>(&mut self, about: &str) -> E {
        let command = self.command(cli::command_own_flags::<E>(), about);
        cli::try_parse_own_flags(command, std::env::args_os())
            .unwrap_or_else(|stop| self.stop(stop))
    }

    /// `command`, with a usage line that says how to start the program.
    fn command(&self, command: clap::Command, about: &str) -> clap::Command {
        command
            .name(self.example.clone())
            .bin_name(format!("cargo mpi -n RANKS {}", self.example))
            .about(about.to_owned())
    }

    /// All the ranks of the job.
    pub fn world(&self) -> &SimpleCommunicator {
        &self.world
    }

    /// This rank's number, 0 to [`size`](Self::size) − 1.
    pub fn rank(&self) -> i32 {
        self.world.rank()
    }

    /// How many ranks the job has (`mpiexec -n`).
    pub fn size(&self) -> i32 {
        self.world.size()
    }

    /// How many ranks of this job run on this machine.
    pub fn ranks_on_this_host(&self) -> i32 {
        self.world.split_shared(self.rank()).size()
    }

    /// Ends the job on bad input: the root prints `error: {message}`, every
    /// rank ends MPI and exits with code 2. Every rank must call it.
    pub fn refuse(&mut self, message: &str) -> ! {
        self.stop(Stop::Invalid(message.to_owned()))
    }

    /// Ends the job the way [`Stop::exit`] ends an example, printing on the root only.
    fn stop(&mut self, stop: Stop) -> ! {
        if self.rank() == ROOT {
            stop.print();
        }
        // MPI_Finalize on every rank, or mpiexec may count a rank that
        // exits first as a failure and kill the others.
        drop(self.universe.take());
        std::process::exit(stop.exit_code())
    }

    /// Times `integrate` across the whole job: the ranks start together (a
    /// barrier), and the clock stops when `integrate` returns, which on the
    /// rank that receives the total is after every rank's share arrived.
    /// Returns the report where `integrate` returned `Some` (the root, in a
    /// correct program). With `--compare`, that rank also times the plain
    /// sequential loop, while the others wait without using a core.
    pub fn measure(
        &self,
        args: &Args,
        strategy: &str,
        threads_per_rank: usize,
        integrate: impl FnOnce(&Problem) -> Option<f64>,
    ) -> Option<Report> {
        let problem = args.problem();
        self.world.barrier();
        let start = Instant::now();
        let total = integrate(&problem);
        let seconds = start.elapsed().as_secs_f64();
        let mut report = total.map(|result| {
            Report::new(strategy, &problem, threads_per_rank, result, seconds)
                .with("ranks", self.size())
        });
        if args.compare {
            if let Some(report) = &mut report {
                report.sequential_seconds = Some(args.sequential_seconds());
            }
            self.wait_quietly();
        }
        report
    }

    /// A barrier that sleeps instead of spinning. A rank blocked in an MPI
    /// call keeps its core busy polling for messages (MPICH does); this one
    /// checks every millisecond, so a rank timing something alone has the
    /// machine to itself.
    pub fn wait_quietly(&self) {
        let mut barrier = self.world.immediate_barrier();
        loop {
            match barrier.test() {
                Ok(_) => return,
                Err(pending) => {
                    barrier = pending;
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        }
    }
}

/// The threading levels in the standard's order (`Threading` has no `Ord`).
fn level(threading: Threading) -> u8 {
    match threading {
        Threading::Single => 0,
        Threading::Funneled => 1,
        Threading::Serialized => 2,
        Threading::Multiple => 3,
    }
}

/// A panic unwinds, and unwinding drops the `Universe`, whose `MPI_Finalize`
/// waits for every other rank, which are waiting for this one in a
/// collective: the job would hang. After the usual panic message, this hook
/// ends the process at once instead, without `MPI_Finalize`, and mpiexec
/// ends the whole job for it: it kills the other ranks and exits with a
/// failure (101, this rank's code, or 9, the signal that killed the others).
///
/// `MPI_Abort` is the textbook way to end a job, but MPICH 4.0 sometimes
/// loses the last lines a rank wrote before it (here, one run in eight lost
/// this hook's message); what a rank wrote before it exits always arrives.
///
/// The hook runs on the panicking thread, which in `mpi_hybrid` may be a
/// rayon worker. It calls MPI only for this rank's number and the job's
/// size (tests/ranks.rs: `a_worker_thread_that_panics_ends_the_job`).
fn end_the_job_on_panic() {
    let print_the_panic = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        print_the_panic(info);
        let world = SimpleCommunicator::world();
        eprintln!(
            "error: rank {} of {} panicked; ending the whole job",
            world.rank(),
            world.size()
        );
        std::process::exit(101)
    }));
}
