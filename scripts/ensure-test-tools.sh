#!/usr/bin/env bash
# Runs before `npm test`: the integration tests need a real IMAP server (Dovecot), a real browser
# (Chromium), a real MTA (exim) and openssl from Debian. Installs them when missing and we may (root +
# apt-get); otherwise says how.
set -u
missing=()
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
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
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
