#!/usr/bin/env bash
# Install Debian's Chromium and its WebDriver (chromium-driver) for the browser tests (the HTML
# report's, and tracker serve's through Selenium), if they are missing and this machine can
# install them (root with apt-get). Never fails the build: without them the browser tests are
# skipped with a visible reason.
set -u
have_browser() { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; }
have_driver() { command -v chromedriver >/dev/null 2>&1; }
if have_browser && have_driver; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: not root or no apt-get; the browser tests will be skipped" >&2
  exit 0
fi
echo "ensure-chromium: installing Debian's chromium and chromium-driver for the browser tests" >&2
export DEBIAN_FRONTEND=noninteractive
{ apt-get update -qq && apt-get install -y -qq chromium chromium-driver; } >/tmp/ensure-chromium.log 2>&1 \
  || echo "ensure-chromium: install failed (see /tmp/ensure-chromium.log); browser tests will skip" >&2
exit 0
