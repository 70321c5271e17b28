#!/usr/bin/env bash
# Install Debian's Chromium for the browser test of the HTML report, if it is missing and this
# machine can install it (root with apt-get). Never fails the build: without Chromium the
# browser test is skipped with a visible reason.
set -u
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: not root or no apt-get; the browser test will be skipped" >&2
  exit 0
fi
echo "ensure-chromium: installing Debian's chromium for the report browser test" >&2
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -qq && apt-get install -y -qq chromium; } >/tmp/ensure-chromium.log 2>&1 \
  || echo "ensure-chromium: install failed (see /tmp/ensure-chromium.log); browser test will skip" >&2
exit 0
