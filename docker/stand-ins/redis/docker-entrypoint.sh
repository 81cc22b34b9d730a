#!/bin/sh
# The official redis image's start-up contract, for the stand-in (see Dockerfile).
set -eu

# `docker run IMAGE --appendonly yes` and `docker run IMAGE my.conf` start redis-server.
case "${1:-}" in
  -* | *.conf) set -- redis-server "$@" ;;
esac

if [ "${1:-}" = redis-server ]; then
  if [ "$(id -u)" = 0 ]; then
    find . \! -user redis -exec chown redis:redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
  fi
  shift
  conf=
  case "${1:-}" in
    *.conf) conf=$1; shift ;;
  esac
  # Protected mode off unless the configuration turns it on (arguments come later).
  set -- redis-server ${conf:+"$conf"} --protected-mode no "$@"
fi

exec "$@"
