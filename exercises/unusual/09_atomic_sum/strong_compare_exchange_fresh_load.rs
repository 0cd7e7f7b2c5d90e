// Right, unusual: loads afresh on every try and uses the strong compare_exchange with SeqCst (stronger than needed, still right).
use parallel_workbook::sync::atomic::{AtomicU64, Ordering::SeqCst};
use parallel_workbook::sync::thread;
use parallel_workbook::{Problem, chunk};
use std::ops::Range;

/// Adds `term` to the f64 whose bits are in `total`, losing no update.
pub fn atomic_add(total: &AtomicU64, term: f64, pause: impl Fn()) {
    loop {
        let before = total.load(SeqCst);
        let after = f64::from_bits(before) + term;
        pause();
        if total
            .compare_exchange(before, after.to_bits(), SeqCst, SeqCst)
            .is_ok()
        {
            break;
        }
    }
}

/// Σ `sum_chunk(c)` over the `threads` chunks `c` of `0..n`, each thread adding its partial sum to one atomic total.
pub fn parallel_sum(n: u64, threads: usize, sum_chunk: impl Fn(Range<u64>) -> f64 + Sync) -> f64 {
    let total = AtomicU64::new(0.0f64.to_bits());
    thread::scope(|scope| {
        let handles: Vec<_> = (0..threads as u64)
            .map(|k| {
                let (total, sum_chunk) = (&total, &sum_chunk);
                scope
                    .spawn(move || atomic_add(total, sum_chunk(chunk(n, threads as u64, k)), || {}))
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
    });
    f64::from_bits(total.load(SeqCst))
}

/// The integral, with `parallel_sum` doing the work.
pub fn integrate(problem: &Problem, threads: usize) -> f64 {
    parallel_sum(problem.n, threads, |chunk| problem.sum_f(chunk)) * problem.dx()
}
