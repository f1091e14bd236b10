#!/usr/bin/env bash
# npm packages the browser tests use: axe-core (the accessibility engine injected into
# every page by tests/browser/test_accessibility.py), installed from the npm registry into
# tests/browser/axe/node_modules.  Where npm is missing or the registry cannot be
# reached, the accessibility test skips with the reason (and fails under CI=true).
set -u
here="$(cd "$(dirname "$0")/.." && pwd)/tests/browser/axe"
[ -f "$here/node_modules/axe-core/axe.min.js" ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "npm-deps: installing npm" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null 2>&1; }
  fi
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm-deps: npm is not available; the accessibility test will skip." >&2
  exit 0
fi
(cd "$here" && npm install --no-audit --no-fund --loglevel=error >/dev/null) \
  || echo "npm-deps: npm install failed; the accessibility test will skip." >&2
exit 0
