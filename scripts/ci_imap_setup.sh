#!/usr/bin/env bash
# Installs Dovecot's IMAP server for the fetch tests in tests/test_intake_mail_fetch.py, which start a private
# instance of their own on 127.0.0.1 (a high port, a config and mailboxes in a temporary folder).
# The system's Dovecot service is never started. Idempotent and quiet; when Dovecot cannot be
# installed, it says so and the tests that need it are skipped with that reason.
set -uo pipefail

if [ -x /usr/sbin/dovecot ] || command -v dovecot >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
  echo "Dovecot is not installed and cannot be here (needs apt-get as root): the IMAP fetch tests will be skipped"
  exit 0
fi

echo "Installing Dovecot (IMAP) for the fetch tests"
# Keep the package's own service from starting (no-op where a policy already says so, as in
# containers): the tests run a private Dovecot, and a system one would hold ports 143 and 993.
added_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
  added_policy=1
fi
install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null 2>&1
}
install || { apt-get update -qq >/dev/null 2>&1 && install; }
status=$?
[ -n "$added_policy" ] && rm -f /usr/sbin/policy-rc.d
if [ "$status" != 0 ]; then
  echo "Dovecot could not be installed: the IMAP fetch tests will be skipped"
fi
exit 0
