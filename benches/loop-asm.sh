#!/bin/sh
# The main loop of one function of a compiled program, as `objdump -d`
# disassembles it: the instructions the core repeats, without addresses.
#
#     sh benches/loop-asm.sh BINARY FUNCTION          # the loop, one instruction a line
#     sh benches/loop-asm.sh --count BINARY FUNCTION  # how many of each instruction
#
# FUNCTION is the name objdump prints between < and > (demangled), e.g.
# `parallel_workbook::lanes::<impl parallel_workbook::problem::Problem>::sum_f_lanes`,
# or with a `*` for the rest: `'*::sum_f_lanes'` (the first function whose name
# ends so), `'limit::mix*'` (begins so). A loop is a stretch from an
# instruction to a jump back to it; the script shows the longest of the
# innermost ones (no loop inside, no call), which in a kernel is its
# unrolled main loop (the shorter ones handle the tail).
# `cargo workbook measure` uses it for book/measured/<machine>/lanes-asm.txt
# and limit-chains-asm.txt, so that no listing in the book is typed by hand.
# Needs objdump (GNU binutils, or LLVM's on macOS).
set -eu

mode=list
if [ "${1-}" = "--count" ]; then
    mode=count
    shift
fi
if [ $# -ne 2 ]; then
    echo "usage: sh benches/loop-asm.sh [--count] BINARY FUNCTION" >&2
    exit 2
fi
binary=$1
function=$2
if ! command -v objdump >/dev/null 2>&1; then
    echo "error: objdump not found: install binutils (Linux) or the Xcode command line tools (macOS)" >&2
    exit 1
fi
if [ ! -f "$binary" ]; then
    echo "error: no such program: $binary (build it first)" >&2
    exit 1
fi

objdump -d --no-show-raw-insn -C "$binary" | awk -v want="$function" -v mode="$mode" '
function hex(s,    i, c, n) {
    n = 0
    s = tolower(s)
    for (i = 1; i <= length(s); i++) {
        c = index("0123456789abcdef", substr(s, i, 1))
        if (c == 0) return -1
        n = n * 16 + c - 1
    }
    return n
}
function matches(name,    rest) {
    if (substr(want, 1, 1) == "*") {
        rest = substr(want, 2)
        return length(name) >= length(rest) && substr(name, length(name) - length(rest) + 1) == rest
    }
    if (substr(want, length(want), 1) == "*")
        return index(name, substr(want, 1, length(want) - 1)) == 1
    return name == want
}
# A function header: "000000000005c990 <name>:"
/^[0-9a-f]+ <.*>:$/ {
    name = $0
    sub(/^[0-9a-f]+ </, "", name)
    sub(/>:$/, "", name)
    inside = matches(name)
    if (inside) found = found ? found : name
    next
}
# An instruction: "   5c9a0:\tvmulpd %zmm1,%zmm2,%zmm3"
inside && /^ *[0-9a-f]+:\t/ {
    line = $0
    sub(/^ */, "", line)
    split(line, part, ":")
    address = hex(part[1])
    text = substr(line, index(line, "\t") + 1)
    gsub(/\t/, " ", text)
    gsub(/  +/, " ", text)
    sub(/ +$/, "", text)
    n++
    at[n] = address
    insn[n] = text
    owner[n] = name
    # A jump back: a branch whose target is an earlier instruction.
    if (text ~ /^(j[a-z]*|b|b\.[a-z]+|cbn?z|tbn?z) /) {
        target = text
        sub(/^[^ ]+ /, "", target)
        sub(/^[^ ]+, /, "", target)
        sub(/ .*/, "", target)
        target = hex(target)
        if (target >= 0 && target <= address) {
            for (k = n; k >= 1 && at[k] > target; k--) {}
            if (k >= 1 && at[k] == target) {
                loops++
                from[loops] = k
                to[loops] = n
            }
        }
    }
}
END {
    # The longest of the innermost loops: those with no other loop inside,
    # and no call (a kernel calls nothing; error paths do).
    for (i = 1; i <= loops; i++) {
        inner = 1
        for (j = 1; j <= loops; j++)
            if (j != i && from[j] >= from[i] && to[j] < to[i]) inner = 0
        for (k = from[i]; k <= to[i]; k++)
            if (insn[k] ~ /^(call|bl|blr) /) inner = 0
        if (inner && to[i] - from[i] + 1 > best) {
            best = to[i] - from[i] + 1
            first = from[i]
            last = to[i]
        }
    }
    if (!found) {
        print "error: no function " want " in the program" > "/dev/stderr"
        exit 1
    }
    if (!best) {
        print "error: " found " has no loop" > "/dev/stderr"
        exit 1
    }
    print owner[first] ": its main loop, " best " instructions"
    for (k = first; k <= last; k++) {
        split(insn[k], word, " ")
        mnemonic = word[1]
        operands = substr(insn[k], length(mnemonic) + 2)
        if (k == last) operands = "(back to the loop'"'"'s first instruction)"
        if (mode == "list") {
            printf "  %-12s %s\n", mnemonic, operands
        } else {
            count[mnemonic]++
        }
    }
    if (mode == "count") {
        # Most frequent first; ties in alphabetical order.
        while (1) {
            top = ""
            for (m in count)
                if (top == "" || count[m] > count[top] || (count[m] == count[top] && m < top))
                    top = m
            if (top == "") break
            printf "  %4d %s\n", count[top], top
            delete count[top]
        }
    }
}
'
