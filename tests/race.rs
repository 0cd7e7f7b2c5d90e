//! The lost update, forced with plain `std` and no luck involved: a `Barrier`
//! between the read and the write-back makes both threads read before either
//! writes. The fixed versions cannot be forced into losing anything.

#[path = "../examples/atomic.rs"]
#[allow(dead_code)]
mod atomic;
#[path = "../examples/mutex.rs"]
#[allow(dead_code)]
mod mutex;
#[path = "../examples/racy.rs"]
#[allow(dead_code)]
mod racy;

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Barrier, Mutex};
use std::thread;

#[test]
fn read_read_write_write_loses_one_update() {
    let total = racy::Shared::new(racy::Total::default());
    let both_have_read = Barrier::new(2);
    thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                // racy_add's two steps, with the scheduler's worst choice forced
                let seen = total.read();
                both_have_read.wait();
                total.write(racy::Total {
                    sum: seen.sum + 1.0,
                    updates: seen.updates + 1,
                });
            });
        }
    });
    let total = total.into_inner();
    assert_eq!(total.sum, 1.0, "two increments, one survives");
    assert_eq!(total.updates, 1);
}

#[test]
fn the_split_atomic_load_store_loses_one_update_too() {
    let total = AtomicU64::new(0.0f64.to_bits());
    let both_have_read = Barrier::new(2);
    thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                let seen = f64::from_bits(total.load(Relaxed));
                both_have_read.wait();
                total.store((seen + 1.0).to_bits(), Relaxed);
            });
        }
    });
    assert_eq!(f64::from_bits(total.load(Relaxed)), 1.0);
}

#[test]
fn racy_add_is_correct_on_one_thread() {
    let total = racy::Shared::new(racy::Total::default());
    for k in 0..1000 {
        racy::racy_add(&total, f64::from(k));
    }
    let total = total.into_inner();
    assert_eq!((total.sum, total.updates), (499_500.0, 1000));
}

#[test]
fn the_racy_integral_counts_its_losses_exactly() {
    // Whatever the interleaving, sum and count are written together, so the
    // updates that stuck are exactly the terms in the sum. With one thread
    // there is nobody to race with. From a = 1, every term is at least
    // 1²·Δx, so a lost update always shows in the sum (from 0, losing
    // f(0) = 0 would leave it within rounding of the exact sum).
    let problem = parallel_workbook::Problem::new(1.0, 10.0, 10_000).unwrap();
    let (result, lost) = racy::integrate(&problem, 1);
    assert_eq!(lost, 0);
    assert_eq!(
        result.to_bits(),
        (problem.sum_f(0..problem.n) * problem.dx()).to_bits()
    );
    for _ in 0..20 {
        let (result, lost) = racy::integrate(&problem, 4);
        assert!(lost < problem.n);
        if lost == 0 {
            assert!((result - problem.exact_left_sum()).abs() < problem.reduction_tolerance());
        } else {
            assert!(
                result < problem.exact_left_sum() - problem.reduction_tolerance(),
                "losing terms of at least Δx can only shrink the sum"
            );
        }
    }
}

#[test]
fn the_fixes_hold_under_contention() {
    // Not a proof (tests/loom.rs is), but it must never fail either.
    let locked = Mutex::new(0.0);
    let cas = AtomicU64::new(0.0f64.to_bits());
    thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..10_000 {
                    mutex::add_locked(&locked, 1.0);
                    atomic::atomic_add(&cas, 1.0);
                }
            });
        }
    });
    assert_eq!(locked.into_inner().unwrap(), 40_000.0);
    assert_eq!(f64::from_bits(cas.load(Relaxed)), 40_000.0);
}
