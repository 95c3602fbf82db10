#!/usr/bin/env bash
# Runs before `npm test`: the integration tests need a real IMAP server (Dovecot), a real browser
# (Chromium), real MTAs (exim; Postfix, unpacked) and openssl from Debian. Installs them when missing
# and we may (root + apt-get); otherwise says how.
set -u
missing=()
may_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
# openssl makes the self-signed certificate of the SMTP TLS tests.
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
# A CJK font, so the Chinese help-center screenshots show characters and not empty boxes.
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
# exim, for the MTA-pipe tests (they run their own instance on a free port). Installing it replaces
# any other MTA package (Postfix), so not where another MTA provides sendmail already.
if [ ! -x /usr/sbin/exim4 ]; then
  if [ -e /usr/sbin/sendmail ]; then
    echo "not installing exim4-daemon-light: another MTA is installed; the exim tests skip (and fail in CI)" >&2
  else
    missing+=(exim4-daemon-light)
  fi
fi
# Postfix, for the same tests: Debian's postfix and exim4 packages exclude each other, so Postfix is
# not installed but unpacked (dpkg -x) where tests/harness/postfix.ts runs it from, with its own
# configuration; it needs its user and group, and the libraries its package depends on.
postfix_dir=${POSTDESK_TEST_SERVERS:-/var/cache/postdesk-test-servers}/postfix
if [ ! -s "$postfix_dir/VERSION" ]; then
  if may_install; then
    echo "unpacking postfix into $postfix_dir" >&2
    deb_dir=$(mktemp -d)
    ( cd "$deb_dir" && { apt-get download -qq -o APT::Sandbox::User=root postfix 2>/dev/null ||
      { apt-get update -qq && apt-get download -qq -o APT::Sandbox::User=root postfix; }; } ) >&2 &&
      rm -rf "$postfix_dir.new" && mkdir -p "${postfix_dir%/*}" && dpkg -x "$deb_dir"/postfix_*.deb "$postfix_dir.new" &&
      dpkg-deb -f "$deb_dir"/postfix_*.deb Depends | tr ',' '\n' | sed -n 's/^ *\(lib[^ ]*\).*/\1/p' > "$postfix_dir.new/LIBRARIES" &&
      dpkg-deb -f "$deb_dir"/postfix_*.deb Version > "$postfix_dir.new/VERSION" &&
      rm -rf "$postfix_dir" && mv "$postfix_dir.new" "$postfix_dir" || echo "unpacking postfix failed" >&2
    rm -rf "$deb_dir"
  else
    echo "postfix is not unpacked in $postfix_dir: run sudo bash scripts/ensure-test-tools.sh" >&2
  fi
fi
if [ -s "$postfix_dir/VERSION" ]; then
  for lib in $(cat "$postfix_dir/LIBRARIES"); do
    dpkg-query -W -f '${Status}' "$lib" 2>/dev/null | grep -q 'ok installed' || missing+=("$lib")
  done
  if may_install; then
    getent group postdrop >/dev/null || groupadd --system postdrop
    getent passwd postfix >/dev/null ||
      useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin postfix
  fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if may_install; then
  echo "installing test tools: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # No package may start its system service (exim on port 25, Dovecot on 143): the tests start their own.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >&2 && exit 0
  echo "apt-get install ${missing[*]} failed" >&2
else
  echo "missing test tools: ${missing[*]} — install with: sudo apt-get install -y ${missing[*]}" >&2
fi
# Outside CI the tests that need them skip with a message; in CI they fail and name the package.
exit 0
