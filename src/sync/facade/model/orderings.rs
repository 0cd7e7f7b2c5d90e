//! Orderings under loom: each atomic operation's ordering, known by the
//! place in the code where it was written, recorded for a check to read
//! ([`super::Explored::orderings`]), and, for
//! [`super::Model::weakest_orderings_in`], made weaker one place at a time.

use std::cell::{Cell, RefCell};
use std::panic::Location;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::{Backend, Explored, Model, NO_OBJECT, backend, explore, label, me, with_run};

thread_local! {
    /// Every ordering the code used in this search (loom only), by place.
    static ORDERINGS: RefCell<Vec<OrderingUse>> = const { RefCell::new(Vec::new()) };
    /// The one ordering a search runs weakened: (where, what it becomes;
    /// `None` leaves a fence out).
    static WEAKENED: Cell<Option<(OrderingSite, Option<Ordering>)>> = const { Cell::new(None) };
}

/// A search starts: nothing recorded yet.
pub(super) fn forget() {
    ORDERINGS.with(|used| used.borrow_mut().clear());
}

/// What the search recorded.
pub(super) fn recorded() -> Vec<OrderingUse> {
    ORDERINGS.with(|used| std::mem::take(&mut *used.borrow_mut()))
}

/// Where an ordering argument was written, and which of its operation's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OrderingSite {
    pub file: &'static str,
    pub line: u32,
    pub column: u32,
    /// The operation, and which of its orderings: `store`,
    /// `compare_exchange (its failure ordering)`, `fence`, ...
    pub operation: &'static str,
    kind: OrderingKind,
}

impl std::fmt::Display for OrderingSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A check includes the learner's file as `checks/../NN_name.rs`.
        let file = self.file.replace("checks/../", "");
        write!(f, "{file}:{}:{}", self.line, self.column)
    }
}

/// What an ordering orders: which orderings are one step weaker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OrderingKind {
    /// A load, and a compare-exchange's failure ordering.
    Load,
    Store,
    /// A read-modify-write, and a compare-exchange's success ordering.
    ReadModifyWrite,
    Fence,
}

impl OrderingKind {
    /// The orderings one step weaker than `order` (`None`: no fence at all).
    fn weaker(self, order: Ordering) -> Vec<Option<Ordering>> {
        use Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};
        match (self, order) {
            (OrderingKind::Load, SeqCst) => vec![Some(Acquire)],
            (OrderingKind::Load, Acquire) => vec![Some(Relaxed)],
            (OrderingKind::Store, SeqCst) => vec![Some(Release)],
            (OrderingKind::Store, Release) => vec![Some(Relaxed)],
            (OrderingKind::ReadModifyWrite | OrderingKind::Fence, SeqCst) => vec![Some(AcqRel)],
            (OrderingKind::ReadModifyWrite | OrderingKind::Fence, AcqRel) => {
                vec![Some(Acquire), Some(Release)]
            }
            (OrderingKind::ReadModifyWrite, Acquire | Release) => vec![Some(Relaxed)],
            (OrderingKind::Fence, Acquire | Release) => vec![None],
            _ => Vec::new(),
        }
    }
}

/// One ordering the code used in a loom search: where it was written, which
/// it was, on which object (its name, or its type: empty for a fence), and
/// by which thread (0: main, then in the order they were started).
#[derive(Clone, Debug)]
pub struct OrderingUse {
    pub site: OrderingSite,
    pub order: Ordering,
    pub on: String,
    pub thread: usize,
}

impl OrderingSite {
    /// Whether the operation reads and writes in one step (`swap`,
    /// `fetch_*`, a compare-exchange's success ordering). loom runs each of
    /// them on the atomic's newest value.
    pub fn is_read_modify_write(&self) -> bool {
        self.kind == OrderingKind::ReadModifyWrite
    }
}

/// The ordering an atomic operation (or a fence) runs with, written at
/// `at`: in a loom search, it is recorded, and it is one step weaker if this
/// search weakens that place (`None`: leave the fence out). Elsewhere, `order`.
pub(crate) fn ordering_at(
    at: &'static Location<'static>,
    operation: &'static str,
    kind: OrderingKind,
    order: Ordering,
    object: usize,
) -> Option<Ordering> {
    if backend() != Backend::Loom {
        return Some(order);
    }
    let site = OrderingSite {
        file: at.file(),
        line: at.line(),
        column: at.column(),
        operation,
        kind,
    };
    let (on, thread) = with_run(|run| {
        let on = if object == NO_OBJECT {
            String::new()
        } else {
            label(run, object)
        };
        (on, me(run))
    })
    .unwrap_or_default();
    ORDERINGS.with(|used| {
        let mut used = used.borrow_mut();
        if !used
            .iter()
            .any(|u| u.site == site && u.order == order && u.on == on && u.thread == thread)
        {
            used.push(OrderingUse {
                site,
                order,
                on,
                thread,
            });
        }
    });
    match WEAKENED.get() {
        Some((weakened, to)) if weakened == site => to,
        _ => Some(order),
    }
}

/// Runs the search again with each ordering written in `file` one step
/// weaker; returns what to tell the learner about those that still pass.
pub(super) fn stronger_than_needed(
    model: &Model,
    file: &str,
    explored: &Explored,
    test: Arc<dyn Fn() + Send + Sync>,
) -> Option<String> {
    let mut uses: Vec<&OrderingUse> = explored
        .orderings
        .iter()
        .filter(|u| u.site.file.ends_with(file))
        .collect();
    uses.sort_by_key(|u| {
        let site = &u.site;
        (
            site.line,
            site.column,
            site.operation,
            format!("{:?}", u.order),
        )
    });
    // One place, one ordering: whichever thread, on whichever object.
    uses.dedup_by(|a, b| a.site == b.site && a.order == b.order);
    let mut found = Vec::new();
    for used in uses {
        // Weaker and weaker, as long as loom finds nothing wrong.
        let (mut order, mut weakest) = (Some(used.order), None);
        while let Some(now) = order {
            let passing = used.site.kind.weaker(now).into_iter().find_map(|weaker| {
                WEAKENED.set(Some((used.site, weaker)));
                let mut again = model.clone();
                again.weakest_in = None;
                let outcome = explore(again, test.clone());
                WEAKENED.set(None);
                // A search that could not finish proves nothing either way.
                outcome.ok().map(|passed| (weaker, passed.schedules))
            });
            let Some((weaker, schedules)) = passing else {
                break;
            };
            weakest = Some((weaker, schedules));
            order = weaker;
        }
        let Some((weaker, schedules)) = weakest else {
            continue;
        };
        let what = if used.on.is_empty() {
            format!("the {}", used.site.operation)
        } else {
            format!("the {} on {}", used.site.operation, used.on)
        };
        let instead = match weaker {
            Some(order) => format!("{order:?} would do"),
            None => "leaving the fence out would do".to_string(),
        };
        found.push(format!(
            "  at {}, {what} uses {:?}: {instead} (loom checked all {schedules} schedules with it, and none goes wrong)",
            used.site, used.order
        ));
    }
    if found.is_empty() {
        return None;
    }
    Some(format!(
        "Right, but stronger than needed. In the model \"{}\", loom found no schedule that goes wrong, \
         and none either with each of these orderings made weaker on its own:\n{}\n\
         Use the weakest ordering that keeps the code right: each one should be needed, so that making it weaker breaks something.",
        model.what,
        found.join("\n")
    ))
}
