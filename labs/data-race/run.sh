#!/usr/bin/env bash
# The data-race lab (chapter 14.1): runs Miri and ThreadSanitizer on the
# unsafe counter (a data race: both must report it) and on the safe one (a
# race condition, no data race: neither may report anything).
#
#     bash labs/data-race/run.sh          # both tools
#     bash labs/data-race/run.sh miri     # Miri only
#     bash labs/data-race/run.sh tsan     # ThreadSanitizer only
#
# Prints each tool's report on stdout (the book includes it, measured: see
# book/measured/measurements.toml) and exits 0 when every report is the one
# expected, 1 when not. Both tools need a nightly toolchain; without one it
# says in one line how to get it, and skips (exit 0). With
# DATA_RACE_LAB_REQUIRE=1 (CI) a missing tool is an error instead.
set -uo pipefail
lab="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$lab/../.." && pwd)"
which="${1:-both}"
case "$which" in
    both | miri | tsan) ;;
    *)
        echo "error: '$which': give miri, tsan or nothing (both)" >&2
        exit 2
        ;;
esac

# Increments per thread: few for Miri, which interprets every step.
miri_increments=100
tsan_increments=1000
install="rustup toolchain install nightly --component miri,rust-src"

skip() {
    if [ "${DATA_RACE_LAB_REQUIRE:-0}" = 1 ]; then
        echo "error: $1: $install" >&2
        exit 1
    fi
    echo "skip: $1; to get it: $install"
    exit 0
}

command -v rustup >/dev/null 2>&1 || skip "Miri and ThreadSanitizer need rustup and a nightly toolchain"
rustup run nightly rustc --version >/dev/null 2>&1 || skip "Miri and ThreadSanitizer need a nightly toolchain"
nightly="$(rustup run nightly rustc --version)"
failed=0

# Builds and runs are quiet on stdout: their progress goes to stderr, so
# that stdout holds only the reports.
run_miri() {
    rustup run nightly cargo miri --version >/dev/null 2>&1 || skip "Miri is not installed for nightly"
    rustup run nightly cargo miri setup >&2 || exit 1
    echo "# $nightly"
    echo "\$ cargo +nightly miri run --bin unsafe_counter -- $miri_increments"
    local report status
    report="$(cd "$lab" && rustup run nightly cargo miri run -q --bin unsafe_counter -- "$miri_increments" 2>&1)"
    status=$?
    printf '%s\n' "$report"
    echo "# exit status $status"
    if [ "$status" -eq 0 ] || ! grep -q "Data race detected" <<<"$report"; then
        echo "error: Miri did not report the data race of unsafe_counter" >&2
        failed=1
    fi
    echo
    echo "\$ cargo +nightly miri run --bin safe_counter -- $miri_increments"
    report="$(cd "$lab" && rustup run nightly cargo miri run -q --bin safe_counter -- "$miri_increments" 2>&1)"
    status=$?
    printf '%s\n' "$report"
    echo "# exit status $status"
    if [ "$status" -ne 0 ] || grep -q "Undefined Behavior" <<<"$report"; then
        echo "error: Miri reported something in safe_counter, which has no data race" >&2
        failed=1
    fi
}

run_tsan() {
    local host target_dir bin
    host="$(rustup run nightly rustc -vV | sed -n 's/^host: //p')"
    rustup run nightly rustc --print sysroot >/dev/null
    if [ ! -d "$(rustup run nightly rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
        skip "ThreadSanitizer needs the standard library's source (rust-src) for nightly"
    fi
    # The standard library is rebuilt with ThreadSanitizer too (-Zbuild-std):
    # every crate of a program must be built with the same sanitizer.
    target_dir="$lab/target/tsan"
    (cd "$lab" && RUSTFLAGS="-Zsanitizer=thread" rustup run nightly cargo build -q \
        -Zbuild-std --target "$host" --target-dir "$target_dir" --bins) >&2 || exit 1
    bin="$target_dir/$host/debug"
    echo "# $nightly"
    echo "\$ RUSTFLAGS=-Zsanitizer=thread cargo +nightly build -Zbuild-std --target $host --target-dir target/tsan --bins"
    echo "# stack frames #1 and deeper (the standard library starting a thread) are cut below"
    local report status
    for program in unsafe_counter safe_counter; do
        echo "\$ target/tsan/$host/debug/$program $tsan_increments"
        report="$(TSAN_OPTIONS="strip_path_prefix=$root/" "$bin/$program" "$tsan_increments" 2>&1)"
        status=$?
        grep -v -E '^    #([1-9]|[1-9][0-9]) ' <<<"$report" | sed -E 's/ \(BuildId: [0-9a-f]+\)//'
        echo "# exit status $status"
        case "$program" in
            unsafe_counter)
                if [ "$status" -eq 0 ] || ! grep -q "WARNING: ThreadSanitizer: data race" <<<"$report"; then
                    echo "error: ThreadSanitizer did not report the data race of unsafe_counter" >&2
                    failed=1
                fi
                echo
                ;;
            safe_counter)
                if [ "$status" -ne 0 ] || grep -q "WARNING: ThreadSanitizer" <<<"$report"; then
                    echo "error: ThreadSanitizer reported something in safe_counter, which has no data race" >&2
                    failed=1
                fi
                ;;
        esac
    done
}

case "$which" in
    miri) run_miri ;;
    tsan) run_tsan ;;
    both)
        run_miri
        echo
        run_tsan
        ;;
esac
exit "$failed"
