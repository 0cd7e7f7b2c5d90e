#!/usr/bin/env bash
# The page code's checks and the browser tests, as .ci/run calls them.
# Installs Debian's Chromium (and Node.js) if missing, never a browser
# download of Playwright's own, and the locked npm packages; then
#
#     bash tests/browser/run.sh checks   ESLint, tsc and the unit tests (Node, no browser: seconds)
#     bash tests/browser/run.sh          the Chromium suite: package.json's `npm test`
#
# The browser tests start `cargo workbook serve` themselves (see server.mjs
# for WORKBOOK_URL and the other settings).
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

command -v npm >/dev/null || apt_install nodejs npm
echo "node $(node --version)"
# playwright-core never downloads a browser; this only makes sure of it.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --no-audit --no-fund --loglevel=error

if [ "${1:-}" = checks ]; then
    npm run --silent lint
    npm run --silent typecheck
    npm run --silent unit
    exit
fi

export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || apt_install chromium
"$CHROMIUM" --version 2>/dev/null  # (its wrapper script warns on stderr)

# One file after the other (each starts its own server and browser), and all
# always run: the exit status says whether any failed.
npm test
