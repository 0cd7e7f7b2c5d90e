//! The facade of `parallel_workbook::sync` under `--features model`: the
//! same code runs on `std` outside a model run and under shuttle or loom
//! inside one; a failing schedule is reported with its steps, and every
//! search is deterministic. Run with
//!
//!     cargo test --features model --test model_facade
//!
//! (The exercises' checks build the facade this way; `cargo workbook verify`
//! runs them all.)
#![cfg(feature = "model")]

use parallel_workbook::sync::model::{self, Failed, Model};
use parallel_workbook::sync::{Arc, Barrier, Condvar, Mutex, atomic::AtomicU64, thread};
use std::sync::atomic::Ordering::SeqCst;

/// A lost update: read under the lock, write back under it again.
fn racy_add(total: &Mutex<u64>) {
    let seen = *total.lock().unwrap();
    *total.lock().unwrap() = seen + 1;
}

fn locked_add(total: &Mutex<u64>) {
    *total.lock().unwrap() += 1;
}

fn two_adders(add: fn(&Mutex<u64>)) -> impl Fn() + Send + Sync + 'static {
    move || {
        let total = Arc::new(Mutex::new(0));
        model::name(&*total, "total");
        let other = {
            let total = total.clone();
            thread::spawn(move || add(&total))
        };
        add(&total);
        other.join().unwrap();
        let total = *total.lock().unwrap();
        assert_eq!(total, 2, "an update was lost");
    }
}

#[test]
fn outside_a_model_the_facade_is_std() {
    let total = Mutex::new(0);
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..1000 {
                    locked_add(&total);
                }
            });
        }
    });
    assert_eq!(total.into_inner().unwrap(), 4000);
}

#[test]
fn loom_and_shuttle_find_the_lost_update_with_its_steps() {
    for model in [
        Model::exhaustive("two adders", 1000),
        Model::random("two adders", 200),
        Model::pct("two adders", 200, 3),
    ] {
        let failure = model.explore(two_adders(racy_add)).unwrap_err();
        let Failed::Panicked { message, .. } = &failure.failed else {
            panic!("{failure}");
        };
        assert!(message.contains("an update was lost"), "{failure}");
        let text = failure.to_string();
        assert!(text.contains("thread 1 locks total"), "{text}");
        assert!(text.contains("main unlocks total"), "{text}");
    }
}

#[test]
fn the_locked_version_passes_every_search() {
    let explored = Model::exhaustive("two adders", 1000).check(two_adders(locked_add));
    assert!(explored.schedules > 1, "{explored:?}");
    Model::random("two adders", 200).check(two_adders(locked_add));
    Model::pct("two adders", 200, 3).check(two_adders(locked_add));
}

#[test]
fn a_search_fails_on_the_same_schedule_every_time() {
    let schedule = || {
        Model::random("two adders", 200)
            .explore(two_adders(racy_add))
            .unwrap_err()
            .schedule
    };
    let first = schedule();
    for _ in 0..3 {
        assert_eq!(schedule(), first);
    }
}

#[test]
fn a_search_over_budget_fails_and_says_so() {
    let failure = Model::exhaustive("two adders", 2)
        .explore(two_adders(locked_add))
        .unwrap_err();
    assert!(
        matches!(failure.failed, Failed::Unfinished { .. }),
        "{failure}"
    );
    assert!(
        failure.to_string().contains("could not be checked"),
        "{failure}"
    );
}

/// Waits for `ready` under `if`, not `while`.
fn wait_under_if(state: &(Mutex<bool>, Condvar)) -> bool {
    let ready = state.0.lock().unwrap();
    let ready = if !*ready {
        state.1.wait(ready).unwrap()
    } else {
        ready
    };
    *ready
}

fn wait_in_a_loop(state: &(Mutex<bool>, Condvar)) -> bool {
    *state
        .1
        .wait_while(state.0.lock().unwrap(), |r| !*r)
        .unwrap()
}

fn signal(wait: fn(&(Mutex<bool>, Condvar)) -> bool) -> impl Fn() + Send + Sync + 'static {
    move || {
        let state = Arc::new((Mutex::new(false), Condvar::new()));
        let waiter = {
            let state = state.clone();
            thread::spawn(move || assert!(wait(&state), "woke up with the flag still down"))
        };
        *state.0.lock().unwrap() = true;
        state.1.notify_one();
        waiter.join().unwrap();
    }
}

#[test]
fn spurious_wakeups_catch_if_instead_of_while() {
    for model in [
        Model::exhaustive("a flag", 1000),
        Model::random("a flag", 200),
    ] {
        let failure = model.explore(signal(wait_under_if)).unwrap_err();
        assert!(
            failure.to_string().contains("spurious wake-up"),
            "{failure}"
        );
    }
    Model::exhaustive("a flag", 1000).check(signal(wait_in_a_loop));
    Model::random("a flag", 200).check(signal(wait_in_a_loop));
    // Without spurious wake-ups, `if` passes: it is the wake-ups that find it.
    Model::exhaustive("a flag", 1000)
        .spurious_wakeups(false)
        .check(signal(wait_under_if));
}

#[test]
fn a_deadlock_is_reported_with_what_each_thread_waits_for() {
    let failure = Model::exhaustive("two locks", 1000)
        .on_deadlock("two threads took two locks in opposite orders")
        .explore(|| {
            let locks = Arc::new((Mutex::new(()), Mutex::new(())));
            model::name(&locks.0, "a");
            model::name(&locks.1, "b");
            let other = {
                let locks = locks.clone();
                thread::spawn(move || {
                    let _b = locks.1.lock().unwrap();
                    let _a = locks.0.lock().unwrap();
                })
            };
            {
                let _a = locks.0.lock().unwrap();
                let _b = locks.1.lock().unwrap();
            }
            other.join().unwrap();
        })
        .unwrap_err();
    assert!(
        matches!(failure.failed, Failed::Deadlock { .. }),
        "{failure}"
    );
    let text = failure.to_string();
    assert!(text.contains("opposite orders"), "{text}");
    assert!(
        text.contains("waiting to lock b") || text.contains("waiting to lock a"),
        "{text}"
    );
}

#[test]
fn scoped_threads_barriers_and_atomics_run_under_shuttle() {
    Model::random("a barrier", 100).check(|| {
        let arrived = AtomicU64::new(0);
        let barrier = Barrier::new(3);
        thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| {
                    arrived.fetch_add(1, SeqCst);
                    barrier.wait();
                    assert_eq!(arrived.load(SeqCst), 3, "passed the barrier early");
                });
            }
        });
    });
    Model::exhaustive("a barrier", 10_000).check(|| {
        let arrived = Arc::new(AtomicU64::new(0));
        let barrier = Arc::new(Barrier::new(2));
        let other = {
            let (arrived, barrier) = (arrived.clone(), barrier.clone());
            thread::spawn(move || {
                arrived.fetch_add(1, SeqCst);
                barrier.wait();
            })
        };
        arrived.fetch_add(1, SeqCst);
        barrier.wait();
        assert_eq!(arrived.load(SeqCst), 2, "passed the barrier early");
        other.join().unwrap();
    });
}

#[test]
fn a_model_of_f64_bits_shows_atomic_values_as_f64() {
    let failure = Model::exhaustive("one store", 10)
        .u64_as_f64()
        .explore(|| {
            let total = AtomicU64::new(0.5f64.to_bits());
            model::name(&total, "total");
            let seen = total.load(SeqCst);
            let _ = total.compare_exchange(seen, 2.5f64.to_bits(), SeqCst, SeqCst);
            panic!("show the steps");
        })
        .expect_err("the test panics");
    let steps: Vec<&str> = failure.steps.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        steps,
        [
            "loads 0.5 from total (SeqCst)",
            "compare_exchange on total: finds 0.5 as expected, stores 2.5 (SeqCst)",
        ],
        "{failure}"
    );
}

#[test]
fn an_endless_loop_is_reported_with_the_checks_meaning() {
    let failure = Model::random("a loop that never ends", 10)
        .on_endless("the loop never ended: it waits for a flag nobody sets")
        .explore(|| {
            let flag = AtomicU64::new(0);
            while flag.load(SeqCst) == 0 {}
        })
        .expect_err("the loop never ends");
    assert!(
        matches!(failure.failed, Failed::TooManySteps { .. }),
        "{failure}"
    );
    assert!(
        failure
            .to_string()
            .starts_with("the loop never ended: it waits for a flag nobody sets\n"),
        "{failure}"
    );
}

#[test]
fn recv_timeout_can_time_out_under_shuttle_while_a_sender_is_late() {
    use parallel_workbook::sync::mpsc;
    use std::time::Duration;
    let failure = Model::random("a late sender", 100)
        .explore(|| {
            let (sender, receiver) = mpsc::channel();
            let late = thread::spawn(move || sender.send(1).unwrap());
            let got = receiver.recv_timeout(Duration::from_secs(1));
            assert_eq!(got, Ok(1), "timed out");
            late.join().unwrap();
        })
        .expect_err("some schedule times out");
    assert!(
        failure
            .steps
            .iter()
            .any(|(_, s)| s.starts_with("waits on")
                && s.ends_with("until the timeout: nothing came")),
        "{failure}"
    );
    // A wait that goes on after a timeout always gets the value.
    Model::random("a late sender, waited for", 100).check(|| {
        let (sender, receiver) = mpsc::channel();
        let late = thread::spawn(move || sender.send(1).unwrap());
        loop {
            match receiver.recv_timeout(Duration::from_secs(1)) {
                Ok(value) => break assert_eq!(value, 1),
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(e) => panic!("{e}"),
            }
        }
        late.join().unwrap();
    });
}

/// A flag published with `store_order`, read with `load_order`, guarding a
/// `Relaxed` value: the reader must never see the flag without the value.
fn publication(
    store_order: std::sync::atomic::Ordering,
    load_order: std::sync::atomic::Ordering,
) -> impl Fn() + Send + Sync + 'static {
    use parallel_workbook::sync::atomic::{AtomicBool, Ordering::Relaxed};
    move || {
        let shared = Arc::new((AtomicU64::new(0), AtomicBool::new(false)));
        model::name(&shared.1, "ready");
        let writer = {
            let shared = shared.clone();
            thread::spawn(move || {
                shared.0.store(7, Relaxed);
                shared.1.store(true, store_order);
            })
        };
        if shared.1.load(load_order) {
            assert_eq!(shared.0.load(Relaxed), 7, "saw the flag without the value");
        }
        writer.join().unwrap();
    }
}

#[test]
fn loom_shows_each_ordering_in_the_steps_and_finds_a_relaxed_flag() {
    use std::sync::atomic::Ordering::Relaxed;
    let failure = Model::exhaustive("a relaxed flag", 1000)
        .explore(publication(Relaxed, Relaxed))
        .unwrap_err();
    let text = failure.to_string();
    assert!(text.contains("saw the flag without the value"), "{text}");
    assert!(
        text.contains("stores true in ready (Relaxed)")
            && text.contains("loads true from ready (Relaxed)"),
        "{text}"
    );
}

#[test]
fn the_weakest_orderings_pass_and_a_stronger_one_is_named_with_its_place() {
    use std::sync::atomic::Ordering::{Acquire, Release, SeqCst};
    let explored = Model::exhaustive("release and acquire", 1000)
        .weakest_orderings_in("tests/model_facade.rs")
        .check(publication(Release, Acquire));
    let used: Vec<String> = explored
        .orderings()
        .iter()
        .map(|u| format!("{} {:?} on {}", u.site.operation, u.order, u.on))
        .collect();
    assert!(
        used.contains(&"store Release on ready".to_string()),
        "{used:?}"
    );
    assert!(
        used.contains(&"load Acquire on ready".to_string()),
        "{used:?}"
    );

    let stronger = std::panic::catch_unwind(|| {
        Model::exhaustive("a SeqCst store", 1000)
            .weakest_orderings_in("tests/model_facade.rs")
            .check(publication(SeqCst, Acquire))
    })
    .unwrap_err();
    let text = stronger
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        text.starts_with("Right, but stronger than needed."),
        "{text}"
    );
    // The store's place is the line of `shared.1.store(true, store_order)`,
    // and only it is too strong: the load's Acquire is needed.
    assert!(
        text.contains("the store on ready uses SeqCst: Release would do"),
        "{text}"
    );
    assert!(text.contains("tests/model_facade.rs:"), "{text}");
    assert!(!text.contains("the load on ready"), "{text}");
}

#[test]
fn orderings_outside_the_named_file_are_not_judged() {
    use std::sync::atomic::Ordering::SeqCst;
    Model::exhaustive("SeqCst in a file not named", 1000)
        .weakest_orderings_in("no_such_file.rs")
        .check(publication(SeqCst, SeqCst));
}
