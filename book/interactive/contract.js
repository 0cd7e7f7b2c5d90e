// The contract with `cargo workbook serve`, as the pages read it: JSDoc
// types only, no code (no page loads this file; `npm run typecheck` in
// tests/browser reads it with the scripts). Each type mirrors one of
// workbook/src/serve/contract.rs, the one home of these shapes, and
// workbook/tests/fixtures/contract.json holds one value of each, which the
// server's test and the pages' unit tests (tests/browser/unit/) both pin.

// ------------------------------------------------------------------ runs

/** @typedef {"preparing" | "compiling" | "cached" | "running"} Phase */

/** @typedef {"stdout" | "stderr" | "build"} OutputStream */

/**
 * @typedef {"exited" | "timed_out" | "too_much_output" | "over_limit" | "stopped"
 *   | "does_not_compile" | "error" | "passed" | "failed" | "skipped"} Outcome
 */

/** @typedef {"passed" | "failed" | "not-started"} Status */

/**
 * @typedef {object} Failure  one failed test of a check
 * @property {string} test
 * @property {string} message
 */

/**
 * @typedef {object} CheckDetail  what a check adds to its done line
 * @property {boolean} passed
 * @property {Failure[]} failures
 * @property {Status} status  the exercise's recorded status after the check
 * @property {string | null} progress_error
 */

/**
 * @typedef {object} Done  how a run ended
 * @property {Outcome} outcome
 * @property {number | null} exit_code
 * @property {string} message
 * @property {boolean} truncated
 * @property {boolean} cached
 * @property {number} compile_s
 * @property {number} run_s
 * @property {number} wall_s
 * @property {CheckDetail} [detail]
 */

/**
 * @typedef {object} ExampleReport  parallel_workbook::Report: what an example's `--json` prints
 *   (named apart from the DOM's own Report)
 * @property {string} strategy
 * @property {number} a
 * @property {number} b
 * @property {number} n
 * @property {number} threads
 * @property {number} result
 * @property {number} exact
 * @property {number} left_sum
 * @property {number} abs_error
 * @property {number} seconds
 * @property {number} [sequential_seconds]
 * @property {number} [speedup]
 */

/** @typedef {{event: "queued", ahead: number}} QueuedEvent */
/** @typedef {{event: "started", run: number}} StartedEvent */
/** @typedef {{event: "phase", phase: Phase}} PhaseEvent */
/** @typedef {{event: "output", stream: OutputStream, text: string}} OutputEvent */
/** @typedef {{event: "compile_error", code: string | null, rendered: string}} CompileErrorEvent */
/** @typedef {{event: "report", report: ExampleReport}} ReportEvent */
/** @typedef {{event: "done"} & Done} DoneEvent */

/**
 * @typedef {QueuedEvent | StartedEvent | PhaseEvent | OutputEvent | CompileErrorEvent
 *   | ReportEvent | DoneEvent} RunEvent  one line of a run's stream
 */

// ------------------------------------------------------------- exercises

/**
 * @typedef {object} ExerciseFile  GET /__workbook/api/exercise/NAME
 * @property {string} name
 * @property {string} title
 * @property {string} file
 * @property {boolean} exists
 * @property {string} content
 * @property {string} version
 * @property {Status} status
 * @property {boolean} solution_available
 * @property {string | null} missing
 * @property {string[]} formerly  its names before a renumbering, latest first
 */

/**
 * @typedef {object} Saved  a save's answer
 * @property {string} version
 * @property {string | null} backup
 * @property {boolean} unchanged
 */

/**
 * @typedef {object} Conflict  a save refused (409): changed on disk
 * @property {string} error
 * @property {string} disk_content
 * @property {string} disk_version
 */

/** @typedef {{hint: string, chapter: string | null}} Hint */
/** @typedef {{content: string}} Solution */

/**
 * @typedef {object} ResetReply
 * @property {"unchanged" | "reset"} outcome
 * @property {string | null} backup
 * @property {string} content
 * @property {string} version
 */

/** @typedef {{error: string}} ApiError  any refusal of the exercise API */

// ------------------------------------------------------------- requests

/** @typedef {"workbook" | "async" | "mpi"} ExamplePackage  whose examples/ the example is in */

/**
 * @typedef {object} ExampleRequest  POST /__workbook/api/run/example
 * @property {string} name
 * @property {string} flags  as typed; the server splits them as a shell would
 * @property {ExamplePackage} [package]  absent: the workbook's
 * @property {number} [ranks]  MPI only: `cargo mpi -n RANKS`
 */

// -------------------------------------------------------------- roofline

/** @typedef {{label: string, per_second: number}} Roof */

/**
 * @typedef {object} PlacedPoint  one run on the roofline, placed by the server's model
 * @property {string} strategy
 * @property {number} threads
 * @property {number | null} intensity  terms per byte; null: moves no bytes
 * @property {number} terms_per_second
 * @property {number} attainable  what the model allows at its intensity
 * @property {"memory" | "compute"} bound
 * @property {"roofline" | "page"} source
 */

/**
 * @typedef {object} RooflineReply  GET /__workbook/roofline.json
 * @property {string} machine
 * @property {Roof[]} compute  highest first; empty before a roofline run
 * @property {Roof[]} bandwidth
 * @property {number | null} ridge
 * @property {PlacedPoint[]} points
 * @property {string | null} error
 */

// ------------------------------------------------- notices and progress

/**
 * @typedef {{kind: "exercise", name: string, version: string} | {kind: "progress"}} Notice
 */

/**
 * @typedef {object} ExerciseProgress
 * @property {Status} status
 * @property {number | null} checked_at
 */

/**
 * @typedef {object} QuizProgress  a quiz question's recorded answer
 * @property {number} answer  the index of the choice last given
 * @property {boolean} correct  decided by the server, from the book
 * @property {number | null} answered_at
 */

/** @typedef {{solved_at: number | null}} PuzzleProgress */

/**
 * @typedef {object} PartProgress  one part of the course (a line of `cargo workbook list`)
 * @property {string} title
 * @property {string[]} exercises
 * @property {number} exercises_passed
 * @property {string[]} questions  its quiz questions' form ids
 * @property {number} questions_answered
 * @property {number} questions_right
 * @property {string[]} puzzles
 * @property {number} puzzles_solved
 */

/**
 * @typedef {object} ProgressReply  GET /__workbook/status.json, and the answer to a quiz answer or a solved puzzle
 * @property {Record<string, ExerciseProgress>} exercises
 * @property {Record<string, QuizProgress>} quizzes
 * @property {Record<string, PuzzleProgress>} puzzles
 * @property {PartProgress[]} parts
 * @property {string | null} error  why the progress file could not be read
 */

/** @typedef {{id: string, answer: number}} QuizAnswerRequest  POST /__workbook/api/progress/quiz */
/** @typedef {{id: string}} PuzzleSolvedRequest  POST /__workbook/api/progress/puzzle */
