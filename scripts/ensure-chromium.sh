#!/usr/bin/env bash
# Browser tests use Debian's chromium (never `playwright install`). Install it when we can.
set -u
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
    || echo "could not install chromium: browser tests will skip (and fail under CI)"
else
  echo "no /usr/bin/chromium and not root: browser tests will skip (apt-get install chromium)"
fi
exit 0
