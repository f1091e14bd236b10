#!/usr/bin/env bash
# System packages the tests use for real parts: LibreOffice (PDF copies; Calc converts test
# workbooks to .ods and .xls as teachers' office programs save them), poppler
# (PDF pages as PNG), fonts metric-compatible with Times New Roman, and Debian's
# chromium, which Playwright drives for the browser tests (tests/browser) — never a
# browser downloaded by `playwright install`; and the PostgreSQL and Redis servers, of
# which tests/realdb starts throwaway instances; and Node.js, whose built-in test runner
# runs the Sheets add-on's Apps Script code (tests/addon).  Installed with apt when we are root;
# otherwise the tests that need them skip with a visible reason (and fail under
# CI=true, see tests/conftest.py).
set -u
packages=(libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-liberation2 fonts-dejavu-core chromium postgresql
          redis-server nginx nodejs)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: cannot install ${missing[*]} (not root or no apt-get); tests that need them will skip." >&2
  exit 0
fi
echo "system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || echo "system-deps: apt-get install failed; tests that need these packages will skip." >&2
exit 0
