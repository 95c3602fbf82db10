#!/usr/bin/env bash
# Runs before `npm test`: the integration tests need real IMAP servers (Dovecot; Cyrus and Courier,
# unpacked), a real browser (Chromium), real MTAs (exim; Postfix, unpacked), PostgreSQL and openssl
# from Debian.
# Installs them when missing and we may (root + apt-get); otherwise says how.
set -u
missing=()
may_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
# Debian's IMAP servers all conflict with one another (imap-server), so only Dovecot is installed;
# Cyrus and Courier are unpacked with `dpkg -x` into a cache the test harness starts them from
# (tests/harness/test-servers.ts), with only the libraries and tools they need installed.
servers_dir=${POSTDESK_TEST_SERVERS:-/var/cache/postdesk-test-servers}
declare -A unpack=(
  [cyrus]="cyrus-common cyrus-imapd"
  [courier]="courier-base courier-imap"
)
declare -A unpack_needs=(
  [cyrus]="sasl2-bin libsasl2-modules db-util libclamav12 libical3 libicu72 libjansson4 libxapian30 libzephyr4 libpq5 libwrap0 libpcre3 libxml2"
  [courier]="courier-authlib courier-authlib-userdb libcourier-unicode4 libgamin0 libidn12 libgdbm6 libltdl7"
)
to_unpack=()
for server in "${!unpack[@]}"; do
  if [ ! -s "$servers_dir/$server/VERSION" ]; then
    to_unpack+=("$server")
    read -r -a needs <<< "${unpack_needs[$server]}"
    missing+=("${needs[@]}")
  fi
done
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
# PostgreSQL: the tests run throwaway clusters of their own (tests/harness/postgres.ts) from
# /usr/lib/postgresql/<version>/bin; the package's default cluster is not wanted (see below).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
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
postfix_dir=$servers_dir/postfix
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

# `apt-get download` of the server's packages, `dpkg -x` of each, and the version of the last one.
unpack_server() {
  local server=$1 debs deb version
  read -r -a pkgs <<< "${unpack[$server]}"
  debs=$(mktemp -d) && chmod 755 "$debs" || return 1
  rm -rf "${servers_dir:?}/$server" && mkdir -p "$servers_dir/$server" &&
    (cd "$debs" && apt-get download -qq -o APT::Sandbox::User=root "${pkgs[@]}" >&2) || { rm -rf "$debs"; return 1; }
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$servers_dir/$server" || { rm -rf "$debs"; return 1; }; done
  version=$(dpkg-deb -f "$debs/${pkgs[-1]}"_*.deb Version)
  rm -rf "$debs"
  echo "$version" > "$servers_dir/$server/VERSION"
}
if may_install; then
  echo "installing test tools: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # No package may start its system service (exim on port 25, Dovecot on 143): the tests start their own.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  # Nor may postgresql create its default cluster `main` (port 5432, a data directory under
  # /var/lib): a drop-in read by postgresql-common's createcluster.conf, made before the install.
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    mkdir -p /etc/postgresql-common/createcluster.d &&
      echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/postdesk-tests.conf
  fi
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2; then
    for server in "${to_unpack[@]}"; do
      unpack_server "$server" || echo "unpacking $server (${unpack[$server]}) into $servers_dir failed" >&2
    done
    exit 0
  fi
  echo "apt-get install ${missing[*]} failed" >&2
else
  echo "missing test tools: ${missing[*]}${to_unpack[*]:+ and the unpacked IMAP servers ${to_unpack[*]}} — install with: sudo bash scripts/ensure-test-tools.sh" >&2
fi
# Outside CI the tests that need them skip with a message; in CI they fail and name the package.
exit 0
