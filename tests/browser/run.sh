#!/usr/bin/env bash
# The browser tests, as .ci/run calls them: installs Debian's Chromium (and
# Node.js) if missing, never a browser download of Playwright's own; installs
# the locked npm packages; runs the tests. They start `cargo workbook serve`
# themselves (see server.mjs for WORKBOOK_URL and the other settings).
#
#     bash tests/browser/run.sh
set -euo pipefail
cd "$(dirname "$0")"

updated=
apt_install() {
    echo "Installing $* (apt-get)"
    if [ "$(id -u)" -ne 0 ]; then
        echo "error: installing $* needs root: sudo apt-get install $*" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "$updated" ]; then
        apt-get update -qq
        updated=1
    fi
    apt-get install -y -qq "$@" >/dev/null
}

export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || apt_install chromium
command -v npm >/dev/null || apt_install nodejs npm
"$CHROMIUM" --version 2>/dev/null  # (its wrapper script warns on stderr)
echo "node $(node --version)"

# playwright-core never downloads a browser; this only makes sure of it.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --no-audit --no-fund --loglevel=error

# One file after the other (each starts its own server and browser), and
# all always run: the exit status says whether any failed.
status=0
for file in book.test.mjs puzzles.test.mjs timeline.test.mjs run.test.mjs exercises.test.mjs starts.test.mjs tabs.test.mjs; do
    node --test --test-reporter=spec "$file" || status=1
done
exit "$status"
