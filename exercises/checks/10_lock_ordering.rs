//! Checks for exercises/10_lock_ordering.rs.
//!
//! A deadlocked transfer never returns, so every scenario runs under a
//! watchdog: the check fails after a few seconds instead of hanging.

mod common;
#[path = "../10_lock_ordering.rs"]
mod exercise;

use exercise::{Account, transfer};
use parallel_workbook::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use parallel_workbook::sync::thread;
use parallel_workbook::sync::{Arc, Mutex};
use std::time::Duration;

const DEADLOCK: &str = "the transfers deadlocked: each thread holds one account's lock and waits for the \
                        other's. Lock the account with the smaller id first, in both directions";

fn account(id: u32, balance: i64) -> Account {
    Account {
        id,
        balance: Mutex::new(balance),
    }
}

fn balances(accounts: &[Account]) -> Vec<i64> {
    accounts
        .iter()
        .map(|a| *a.balance.lock().unwrap())
        .collect()
}

#[test]
fn one_transfer_moves_the_money() {
    let result = common::within(DEADLOCK, || {
        let accounts = [account(1, 100), account(2, 50)];
        transfer(&accounts[0], &accounts[1], 30, || {});
        transfer(&accounts[1], &accounts[0], 5, || {});
        balances(&accounts)
    });
    assert_eq!(
        result,
        [75, 75],
        "100 and 50, then 30 from the first to the second and 5 back"
    );
}

#[test]
fn opposite_transfers_meeting_at_the_worst_moment() {
    // Each thread, holding its first lock, waits (briefly) for the other to
    // hold its first lock too: with locks taken in opposite orders that is a
    // deadlock every time. In a correct solution the other thread is waiting
    // for the same first lock, and the pause ends after 50 ms.
    for round in 0..10 {
        let result = common::within(DEADLOCK, move || {
            let accounts = Arc::new([account(1, 1000), account(2, 1000)]);
            let holding = Arc::new(AtomicUsize::new(0));
            let threads: Vec<_> = [(0, 1), (1, 0)]
                .into_iter()
                .map(|(from, to)| {
                    let (accounts, holding) = (accounts.clone(), holding.clone());
                    thread::spawn(move || {
                        transfer(
                            &accounts[from],
                            &accounts[to],
                            10 * (from as i64 + 1),
                            || {
                                holding.fetch_add(1, SeqCst);
                                common::wait_until(Duration::from_millis(50), || {
                                    holding.load(SeqCst) >= 2
                                });
                            },
                        )
                    })
                })
                .collect();
            threads.into_iter().for_each(|t| t.join().unwrap());
            (balances(&accounts[..]), holding.load(SeqCst))
        });
        let (money, pauses) = result;
        assert_eq!(
            pauses, 2,
            "round {round}: pause() ran {pauses} times for 2 transfers: keep it between the two locks"
        );
        assert_eq!(
            money,
            [1010, 990],
            "round {round}: 10 went from account 1 to 2 and 20 back; got {money:?}"
        );
    }
}

#[test]
fn many_transfers_in_both_directions() {
    let result = common::within(DEADLOCK, || {
        let accounts = [account(7, 0), account(3, 0), account(5, 0)];
        thread::scope(|scope| {
            for t in 0..4usize {
                let accounts = &accounts;
                scope.spawn(move || {
                    for i in 0..5_000usize {
                        let from = (t + i) % 3;
                        let to = (from + 1 + i % 2) % 3; // never the same account
                        transfer(&accounts[from], &accounts[to], 1, || {});
                    }
                });
            }
        });
        let ids: Vec<u32> = accounts.iter().map(|a| a.id).collect();
        (ids, balances(&accounts))
    });
    let (ids, money) = result;
    assert_eq!(
        money.iter().sum::<i64>(),
        0,
        "money was created or destroyed: accounts {ids:?} hold {money:?}"
    );
}

#[test]
fn a_transfer_to_the_same_account_changes_nothing() {
    let result = common::within(
        "a transfer from an account to itself never returned: it locked the same Mutex twice. \
         Check for from.id == to.id first",
        || {
            let accounts = [account(1, 100)];
            transfer(&accounts[0], &accounts[0], 40, || {});
            balances(&accounts)
        },
    );
    assert_eq!(
        result,
        [100],
        "a transfer to the same account should change nothing"
    );
}
