//! Checks for exercises/14_lock_ordering.rs.
//!
//! The model tests run the learner's `transfer` under shuttle (random and
//! PCT schedules): two opposite transfers, and three transfers around a
//! cycle of three accounts, must all finish and move the money in every
//! schedule explored; a thread that locks both accounts must never see the
//! money in flight; a transfer to the same account must not lock twice.
//! (shuttle, not loom: loom 0.7 can report a deadlock that cannot happen
//! when a thread is about to call `try_lock` on a lock another thread takes,
//! tokio-rs/loom issue 376; try-lock with back-off is a right answer here,
//! and the auditing thread uses `try_lock` too.) Then real threads: every
//! `pause()` is called holding exactly one of the two accounts; a pause that
//! waits until every transfer holds its first lock forces the worst moment,
//! with two accounts and with a cycle of three; many transfers keep the
//! money.

mod common;
#[path = "../14_lock_ordering.rs"]
mod exercise;

use exercise::{Account, transfer};
use parallel_workbook::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use parallel_workbook::sync::model::{self, Model};
use parallel_workbook::sync::{Arc, Mutex, thread};
use std::time::Duration;

/// What a deadlock in the model means: the checker saw every thread blocked.
const DEADLOCK: &str = "the transfers deadlocked: every transfer that had not finished was waiting for a lock \
     that another one (or itself) held; the steps below show who held what. Take the two locks in the same \
     order in every transfer, whatever the direction (the smaller id first)";

/// What a hang on real threads may mean (the watchdog cannot see why).
const HUNG: &str = "the transfers never finished: are they deadlocked, each holding one account's lock and \
     waiting for another's? Take the two locks in the same order in every transfer, whatever the direction \
     (the smaller id first)";

fn account(id: u32, balance: i64) -> Account {
    Account {
        id,
        balance: Mutex::new(balance),
    }
}

/// Accounts with these ids, 1000 in each, named "account ID" in the steps.
fn accounts(ids: &[u32]) -> Arc<Vec<Account>> {
    let accounts: Vec<Account> = ids.iter().map(|&id| account(id, 1000)).collect();
    for a in &accounts {
        model::name(&a.balance, &format!("account {}", a.id));
    }
    Arc::new(accounts)
}

fn balances(accounts: &[Account]) -> Vec<i64> {
    accounts
        .iter()
        .map(|a| *a.balance.lock().unwrap())
        .collect()
}

/// The transfers (from, to, amount), by index into `accounts`, each on a
/// thread of its own (the first on the model's main thread), with `pause`.
fn run_transfers(
    accounts: &Arc<Vec<Account>>,
    transfers: &[(usize, usize, i64)],
    pause: impl Fn() + Clone + Send + 'static,
) {
    let others: Vec<_> = transfers[1..]
        .iter()
        .map(|&(from, to, amount)| {
            let (accounts, pause) = (accounts.clone(), pause.clone());
            thread::spawn(move || transfer(&accounts[from], &accounts[to], amount, pause))
        })
        .collect();
    let (from, to, amount) = transfers[0];
    transfer(&accounts[from], &accounts[to], amount, pause);
    for other in others {
        other.join().expect("a transfer panicked");
    }
}

/// Balances of 1000 each after `transfers`.
fn expected(count: usize, transfers: &[(usize, usize, i64)]) -> Vec<i64> {
    let mut money = vec![1000; count];
    for &(from, to, amount) in transfers {
        money[from] -= amount;
        money[to] += amount;
    }
    money
}

/// "10 from account 1 to account 2, 20 from account 2 to account 1".
fn describe(ids: &[u32], transfers: &[(usize, usize, i64)]) -> String {
    let each: Vec<String> = transfers
        .iter()
        .map(|&(from, to, amount)| {
            format!("{amount} from account {} to account {}", ids[from], ids[to])
        })
        .collect();
    each.join(", ")
}

/// A model test: the transfers at once, then the balances.
fn transfers_finish(
    ids: &'static [u32],
    transfers: &'static [(usize, usize, i64)],
) -> impl Fn() + Send + Sync + 'static {
    move || {
        let accounts = accounts(ids);
        run_transfers(&accounts, transfers, || model::note("calls pause()"));
        let got = balances(&accounts);
        let want = expected(ids.len(), transfers);
        assert!(
            got == want,
            "accounts {ids:?} held 1000 each; after the transfers ({}) they hold {got:?}, not {want:?}. \
             Does each transfer take the amount from `from` and give it to `to`, whichever account it locked first?",
            describe(ids, transfers)
        );
    }
}

#[test]
fn opposite_transfers_finish_in_every_schedule_explored() {
    const OPPOSITE: &[(usize, usize, i64)] = &[(0, 1, 10), (1, 0, 20)];
    common::within(HUNG, || {
        Model::random("a transfer from account 1 to account 2 and one back", 300)
            .on_deadlock(DEADLOCK)
            .check(transfers_finish(&[1, 2], OPPOSITE));
        // The larger id first this time: no solution may depend on which way round.
        Model::pct(
            "a transfer from account 9 to account 4 and one back",
            300,
            3,
        )
        .on_deadlock(DEADLOCK)
        .check(transfers_finish(&[9, 4], OPPOSITE));
    });
}

#[test]
fn three_transfers_around_a_cycle_finish_in_every_schedule_explored() {
    const CYCLE: &[(usize, usize, i64)] = &[(0, 1, 1), (1, 2, 2), (2, 0, 4)];
    common::within(HUNG, || {
        Model::pct("transfers 7 → 3, 3 → 5 and 5 → 7 at once", 400, 3)
            .on_deadlock(DEADLOCK)
            .check(transfers_finish(&[7, 3, 5], CYCLE));
    });
}

/// Locks both accounts (backing off when the second is busy, so that it
/// can deadlock with no order of locking) and returns their sum.
fn audit(accounts: &[Account]) -> i64 {
    loop {
        let first = accounts[0].balance.lock().unwrap();
        if let Ok(second) = accounts[1].balance.try_lock() {
            return *first + *second;
        }
        drop(first);
        thread::yield_now();
    }
}

#[test]
fn no_one_who_locks_both_accounts_sees_money_in_flight() {
    common::within(HUNG, || {
        Model::random(
            "transfers between accounts 1 and 2 while another thread locks both and adds them up",
            300,
        )
        .on_deadlock(DEADLOCK)
        .check(|| {
            let accounts = accounts(&[1, 2]);
            let auditor = {
                let accounts = accounts.clone();
                thread::spawn(move || {
                    let seen = audit(&accounts);
                    model::note(format!("sees {seen} in the two accounts"));
                    seen
                })
            };
            transfer(&accounts[0], &accounts[1], 10, || model::note("calls pause()"));
            transfer(&accounts[1], &accounts[0], 30, || model::note("calls pause()"));
            let seen = auditor.join().expect("the auditing thread panicked");
            assert!(
                seen == 2000,
                "a thread that locked both accounts found {seen} in them, not 2000: the money was in flight, taken \
                 from one account and not yet given to the other. Change both balances while you hold both locks"
            );
        });
    });
}

#[test]
fn a_transfer_to_the_same_account_changes_nothing() {
    common::within(
        "a transfer from an account to itself never returned: does it lock the same Mutex twice?",
        || {
            Model::random("a transfer from account 1 to itself", 1)
                .on_deadlock(
                    "a transfer from an account to itself locked its Mutex a second time, which waits forever: \
                     a Mutex cannot be locked twice by one thread. Check for from.id == to.id first",
                )
                .check(|| {
                    let accounts = accounts(&[1]);
                    transfer(&accounts[0], &accounts[0], 40, || model::note("calls pause()"));
                    let got = balances(&accounts);
                    assert!(got == [1000], "a transfer of 40 from account 1 to itself left {got:?} in it, not 1000");
                });
        },
    );
}

#[test]
fn every_pause_is_called_holding_exactly_one_of_the_two_accounts() {
    // One thread: an account that try_lock finds locked is locked by this
    // transfer.
    let calls = common::within(HUNG, || {
        let accounts = [account(1, 100), account(2, 100)];
        let mut calls = Vec::new();
        for (from, to) in [(0, 1), (1, 0)] {
            let locked = Mutex::new(Vec::new());
            transfer(&accounts[from], &accounts[to], 10, || {
                let held = [from, to]
                    .iter()
                    .filter(|&&a| accounts[a].balance.try_lock().is_err())
                    .count();
                locked.lock().unwrap().push(held);
            });
            calls.push((
                accounts[from].id,
                accounts[to].id,
                locked.into_inner().unwrap(),
            ));
        }
        calls
    });
    for (from, to, locked) in calls {
        assert!(
            !locked.is_empty(),
            "a transfer from account {from} to account {to} never called pause(): call it after taking the first \
             lock and before taking the second"
        );
        assert!(
            locked.iter().all(|&held| held == 1),
            "in a transfer from account {from} to account {to}, pause() was called with {locked:?} of the two \
             accounts locked: call it after taking the first lock and before taking the second (exactly one held)"
        );
    }
}

/// Real threads: each transfer's pause waits (up to 30 ms) until every
/// transfer holds its first lock. Locks taken in the order of each
/// transfer's direction then deadlock every time.
fn forced_meeting(ids: &'static [u32], transfers: &'static [(usize, usize, i64)]) {
    let got = common::within(HUNG, move || {
        let accounts = accounts(ids);
        let holding = Arc::new(AtomicUsize::new(0));
        let parties = transfers.len();
        run_transfers(&accounts, transfers, move || {
            holding.fetch_add(1, SeqCst);
            common::wait_until(Duration::from_millis(30), || {
                holding.load(SeqCst) >= parties
            });
        });
        balances(&accounts)
    });
    let want = expected(ids.len(), transfers);
    assert_eq!(
        got,
        want,
        "on real threads, accounts {ids:?} held 1000 each; after the transfers ({}) they hold {got:?}. Does each \
         transfer take the amount from `from` and give it to `to`, whichever account it locked first?",
        describe(ids, transfers)
    );
}

#[test]
fn on_real_threads_opposite_transfers_meet_at_the_worst_moment() {
    forced_meeting(&[1, 2], &[(0, 1, 10), (1, 0, 20)]);
}

#[test]
fn on_real_threads_three_transfers_close_a_cycle() {
    forced_meeting(&[7, 3, 5], &[(0, 1, 1), (1, 2, 2), (2, 0, 4)]);
}

#[test]
fn many_transfers_in_both_directions_keep_the_money() {
    let money = common::within(HUNG, || {
        let accounts = [account(7, 0), account(3, 0), account(5, 0)];
        thread::scope(|scope| {
            for t in 0..4usize {
                let accounts = &accounts;
                scope.spawn(move || {
                    for i in 0..2_000usize {
                        let from = (t + i) % 3;
                        let to = (from + 1 + i % 2) % 3; // never the same account
                        transfer(&accounts[from], &accounts[to], 1, || {});
                    }
                });
            }
        });
        balances(&accounts)
    });
    assert_eq!(
        money.iter().sum::<i64>(),
        0,
        "on real threads, money was created or destroyed: accounts 7, 3 and 5 started empty and hold {money:?}"
    );
}
