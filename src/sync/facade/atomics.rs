//! Atomic integers and `AtomicBool`, on `std`, shuttle or loom. Under loom a
//! load may also see an older value, as far as its `Ordering` allows;
//! shuttle treats every ordering as `SeqCst`.
//!
//! Every method takes the caller's place in the code (`#[track_caller]`), so
//! that under loom each ordering argument is known by where it was written:
//! a check can ask whether each one is the weakest that is correct
//! ([`model::Model::weakest_orderings_in`]).

use std::fmt;
use std::panic::Location;
use std::sync::atomic::Ordering;

use super::model::{self, Backend, Named, OrderingKind, backend};

/// `std::sync::atomic::fence`.
#[track_caller]
pub fn fence(order: Ordering) {
    let site = Location::caller();
    // A check that weakens an `Acquire` or `Release` fence leaves it out
    // (there is no `Relaxed` fence).
    let Some(order) =
        model::ordering_at(site, "fence", OrderingKind::Fence, order, model::NO_OBJECT)
    else {
        return;
    };
    match backend() {
        Backend::Std => std::sync::atomic::fence(order),
        Backend::Shuttle => shuttle::sync::atomic::fence(order),
        Backend::Loom => loom::sync::atomic::fence(order),
    }
    model::record(|| format!("fence({order:?})"));
}

/// How many bytes a facade atomic adds after its backends (`backends`
/// bytes), so that one whose `std` type is 8 bytes long is exactly
/// [`LAYOUT_EXTRA`] bytes longer than `std`'s. A type holding one then has
/// `std`'s layout plus those bytes, whatever its alignment up to 128 (each
/// divides 128): a check can tell the size a learner's type has with `std`,
/// which is the layout that matters (exercise 11 pads its slots to 128 bytes,
/// by alignment or by padding). Other atomics get no padding.
const fn layout_padding(std_size: usize, backends: usize) -> usize {
    if std_size == 8 {
        std_size + LAYOUT_EXTRA - backends
    } else {
        0
    }
}

/// How much longer than `std`'s the facade's 8-byte atomics (`AtomicU64`,
/// `AtomicI64`, `AtomicUsize`, `AtomicIsize` on 64-bit targets) are.
pub(crate) const LAYOUT_EXTRA: usize = 128;

const _: () = assert!(
    std::mem::size_of::<u64_::AtomicU64>()
        == std::mem::size_of::<std::sync::atomic::AtomicU64>() + LAYOUT_EXTRA
);

macro_rules! atomic {
    ($name:ident, $int:ty, $($int_only:tt)*) => {
        const LAYOUT_PADDING: usize = layout_padding(
            std::mem::size_of::<std::sync::atomic::$name>(),
            std::mem::size_of::<Inner>() + std::mem::size_of::<usize>(),
        );

        #[doc = concat!("`std::sync::atomic::", stringify!($name), "`, on the backend current when it was made.")]
        pub struct $name {
            inner: Inner,
            id: usize,
            _layout: [u8; LAYOUT_PADDING],
        }

        impl $name {
            pub fn new(value: $int) -> $name {
                let inner = match backend() {
                    Backend::Std => Inner::Std(std::sync::atomic::$name::new(value)),
                    Backend::Shuttle => Inner::Shuttle(shuttle::sync::atomic::$name::new(value)),
                    Backend::Loom => Inner::Loom(loom::sync::atomic::$name::new(value)),
                };
                let id = model::new_object(|| stringify!($name).to_string());
                $name {
                    inner,
                    id,
                    _layout: [0; LAYOUT_PADDING],
                }
            }

            fn step(&self, what: impl FnOnce(String) -> String) {
                model::record(|| what(model::object(self.id)));
            }

            /// A value of this atomic as a step shows it.
            fn shown(&self, value: &$int) -> String {
                model::value_text(value)
            }

            /// The ordering this operation runs with: the one the code
            /// passed, unless a check weakens the ordering written there.
            fn ordering(
                &self,
                site: &'static Location<'static>,
                operation: &'static str,
                kind: OrderingKind,
                order: Ordering,
            ) -> Ordering {
                model::ordering_at(site, operation, kind, order, self.id).unwrap_or(order)
            }

            #[track_caller]
            pub fn load(&self, order: Ordering) -> $int {
                let order = self.ordering(Location::caller(), "load", OrderingKind::Load, order);
                self.load_with(order)
            }

            fn load_with(&self, order: Ordering) -> $int {
                let v = match &self.inner {
                    Inner::Std(a) => a.load(order),
                    Inner::Shuttle(a) => a.load(order),
                    Inner::Loom(a) => a.load(order),
                };
                self.step(|a| format!("loads {} from {a} ({order:?})", self.shown(&v)));
                v
            }

            #[track_caller]
            pub fn store(&self, value: $int, order: Ordering) {
                let order = self.ordering(Location::caller(), "store", OrderingKind::Store, order);
                match &self.inner {
                    Inner::Std(a) => a.store(value, order),
                    Inner::Shuttle(a) => a.store(value, order),
                    Inner::Loom(a) => a.store(value, order),
                }
                self.step(|a| format!("stores {} in {a} ({order:?})", self.shown(&value)));
            }

            #[track_caller]
            pub fn swap(&self, value: $int, order: Ordering) -> $int {
                let order = self.ordering(Location::caller(), "swap", OrderingKind::ReadModifyWrite, order);
                let old = match &self.inner {
                    Inner::Std(a) => a.swap(value, order),
                    Inner::Shuttle(a) => a.swap(value, order),
                    Inner::Loom(a) => a.swap(value, order),
                };
                self.step(|a| {
                    let (value, old) = (self.shown(&value), self.shown(&old));
                    format!("swaps {value} into {a}, which held {old} ({order:?})")
                });
                old
            }

            #[track_caller]
            pub fn compare_exchange(
                &self,
                current: $int,
                new: $int,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$int, $int> {
                let site = Location::caller();
                let success = self.ordering(site, "compare_exchange (its success ordering)", OrderingKind::ReadModifyWrite, success);
                let failure = self.ordering(site, "compare_exchange (its failure ordering)", OrderingKind::Load, failure);
                self.compare_exchange_with(false, current, new, success, failure)
            }

            #[track_caller]
            pub fn compare_exchange_weak(
                &self,
                current: $int,
                new: $int,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$int, $int> {
                let site = Location::caller();
                let success = self.ordering(site, "compare_exchange_weak (its success ordering)", OrderingKind::ReadModifyWrite, success);
                let failure = self.ordering(site, "compare_exchange_weak (its failure ordering)", OrderingKind::Load, failure);
                self.compare_exchange_with(true, current, new, success, failure)
            }

            fn compare_exchange_with(
                &self,
                weak: bool,
                current: $int,
                new: $int,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$int, $int> {
                let r = match (&self.inner, weak) {
                    (Inner::Std(a), false) => a.compare_exchange(current, new, success, failure),
                    (Inner::Std(a), true) => a.compare_exchange_weak(current, new, success, failure),
                    (Inner::Shuttle(a), false) => a.compare_exchange(current, new, success, failure),
                    (Inner::Shuttle(a), true) => a.compare_exchange_weak(current, new, success, failure),
                    (Inner::Loom(a), false) => a.compare_exchange(current, new, success, failure),
                    (Inner::Loom(a), true) => a.compare_exchange_weak(current, new, success, failure),
                };
                let op = if weak { "compare_exchange_weak" } else { "compare_exchange" };
                self.step(|a| {
                    let r = r.map(|v| self.shown(&v)).map_err(|v| self.shown(&v));
                    cas_step(op, &a, self.shown(&current), self.shown(&new), r, success, failure)
                });
                r
            }

            /// As `std`'s: a load, then `compare_exchange_weak` until it
            /// succeeds (each attempt is a step of its own). `fetch_order`
            /// orders the load and each failed attempt alike.
            #[track_caller]
            pub fn fetch_update<F>(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                mut f: F,
            ) -> Result<$int, $int>
            where
                F: FnMut($int) -> Option<$int>,
            {
                let site = Location::caller();
                let set_order = self.ordering(site, "fetch_update (its set_order)", OrderingKind::ReadModifyWrite, set_order);
                let fetch_order = self.ordering(site, "fetch_update (its fetch_order)", OrderingKind::Load, fetch_order);
                let mut prev = self.load_with(fetch_order);
                while let Some(next) = f(prev) {
                    match self.compare_exchange_with(true, prev, next, set_order, fetch_order) {
                        Ok(x) => return Ok(x),
                        Err(seen) => prev = seen,
                    }
                }
                Err(prev)
            }

            #[track_caller]
            pub fn fetch_and(&self, value: $int, order: Ordering) -> $int {
                self.rmw(Location::caller(), "fetch_and", value, order, |a, v, o| a.fetch_and(v, o), |a, v, o| a.fetch_and(v, o), |a, v, o| a.fetch_and(v, o))
            }

            #[track_caller]
            pub fn fetch_or(&self, value: $int, order: Ordering) -> $int {
                self.rmw(Location::caller(), "fetch_or", value, order, |a, v, o| a.fetch_or(v, o), |a, v, o| a.fetch_or(v, o), |a, v, o| a.fetch_or(v, o))
            }

            #[track_caller]
            pub fn fetch_xor(&self, value: $int, order: Ordering) -> $int {
                self.rmw(Location::caller(), "fetch_xor", value, order, |a, v, o| a.fetch_xor(v, o), |a, v, o| a.fetch_xor(v, o), |a, v, o| a.fetch_xor(v, o))
            }

            $($int_only)*

            #[allow(clippy::type_complexity, clippy::too_many_arguments)]
            fn rmw(
                &self,
                site: &'static Location<'static>,
                what: &'static str,
                value: $int,
                order: Ordering,
                on_std: fn(&std::sync::atomic::$name, $int, Ordering) -> $int,
                on_shuttle: fn(&shuttle::sync::atomic::$name, $int, Ordering) -> $int,
                on_loom: fn(&loom::sync::atomic::$name, $int, Ordering) -> $int,
            ) -> $int {
                let order = self.ordering(site, what, OrderingKind::ReadModifyWrite, order);
                let old = match &self.inner {
                    Inner::Std(a) => on_std(a, value, order),
                    Inner::Shuttle(a) => on_shuttle(a, value, order),
                    Inner::Loom(a) => on_loom(a, value, order),
                };
                self.step(|a| {
                    let (value, old) = (self.shown(&value), self.shown(&old));
                    format!("{what}({value}) on {a}, which held {old} ({order:?})")
                });
                old
            }

            pub fn into_inner(self) -> $int {
                match self.inner {
                    Inner::Std(a) => a.into_inner(),
                    Inner::Shuttle(a) => a.into_inner(),
                    Inner::Loom(a) => a.into_inner(),
                }
            }

            pub fn get_mut(&mut self) -> &mut $int {
                match &mut self.inner {
                    Inner::Std(a) => a.get_mut(),
                    Inner::Shuttle(a) => a.get_mut(),
                    Inner::Loom(_) => panic!("get_mut is not available on loom's atomics: use into_inner, or load"),
                }
            }
        }

        impl Named for $name {
            fn object_id(&self) -> usize {
                self.id
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $name::new(Default::default())
            }
        }

        impl From<$int> for $name {
            fn from(value: $int) -> Self {
                $name::new(value)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let v = match &self.inner {
                    Inner::Std(a) => a.load(Ordering::Relaxed),
                    Inner::Shuttle(a) => a.load(Ordering::Relaxed),
                    Inner::Loom(a) => a.load(Ordering::Relaxed),
                };
                fmt::Debug::fmt(&v, f)
            }
        }
    };
}

fn cas_step(
    op: &str,
    atomic: &str,
    current: String,
    new: String,
    result: Result<String, String>,
    success: Ordering,
    failure: Ordering,
) -> String {
    match result {
        Ok(_) => {
            format!("{op} on {atomic}: finds {current} as expected, stores {new} ({success:?})")
        }
        Err(seen) => format!(
            "{op} on {atomic}: expects {current}, finds {seen}, stores nothing ({failure:?})"
        ),
    }
}

macro_rules! integer_ops {
    ($name:ident, $int:ty) => {
        #[track_caller]
        pub fn fetch_add(&self, value: $int, order: Ordering) -> $int {
            self.rmw(
                Location::caller(),
                "fetch_add",
                value,
                order,
                |a, v, o| a.fetch_add(v, o),
                |a, v, o| a.fetch_add(v, o),
                |a, v, o| a.fetch_add(v, o),
            )
        }

        #[track_caller]
        pub fn fetch_sub(&self, value: $int, order: Ordering) -> $int {
            self.rmw(
                Location::caller(),
                "fetch_sub",
                value,
                order,
                |a, v, o| a.fetch_sub(v, o),
                |a, v, o| a.fetch_sub(v, o),
                |a, v, o| a.fetch_sub(v, o),
            )
        }

        #[track_caller]
        pub fn fetch_max(&self, value: $int, order: Ordering) -> $int {
            self.rmw(
                Location::caller(),
                "fetch_max",
                value,
                order,
                |a, v, o| a.fetch_max(v, o),
                |a, v, o| a.fetch_max(v, o),
                |a, v, o| a.fetch_max(v, o),
            )
        }

        #[track_caller]
        pub fn fetch_min(&self, value: $int, order: Ordering) -> $int {
            self.rmw(
                Location::caller(),
                "fetch_min",
                value,
                order,
                |a, v, o| a.fetch_min(v, o),
                |a, v, o| a.fetch_min(v, o),
                |a, v, o| a.fetch_min(v, o),
            )
        }
    };
}

macro_rules! atomic_integer {
    ($module:ident, $name:ident, $int:ty) => {
        mod $module {
            use super::*;

            enum Inner {
                Std(std::sync::atomic::$name),
                Shuttle(shuttle::sync::atomic::$name),
                Loom(loom::sync::atomic::$name),
            }

            atomic!($name, $int, integer_ops!($name, $int););
        }
        pub use $module::$name;
    };
}

atomic_integer!(u64_, AtomicU64, u64);
atomic_integer!(i64_, AtomicI64, i64);
atomic_integer!(u32_, AtomicU32, u32);
atomic_integer!(i32_, AtomicI32, i32);
atomic_integer!(usize_, AtomicUsize, usize);
atomic_integer!(isize_, AtomicIsize, isize);

mod bool_ {
    use super::*;

    enum Inner {
        Std(std::sync::atomic::AtomicBool),
        Shuttle(shuttle::sync::atomic::AtomicBool),
        Loom(loom::sync::atomic::AtomicBool),
    }

    atomic!(AtomicBool, bool,);
}
pub use bool_::AtomicBool;
