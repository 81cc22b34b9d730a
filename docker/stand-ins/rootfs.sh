#!/bin/sh
# Makes the root file system of a stand-in base image from Debian's packages:
#
#   docker/stand-ins/rootfs.sh node|postgres|redis OUT.tar
#
# For machines that cannot pull node, postgres and redis from Docker Hub.
# `npm run compose:check` imports the tarball (`docker import`) and builds the
# stand-in on it with docker/stand-ins/<name>/Dockerfile, which adds what the
# official image's contract needs beyond the packages (see that file).
# Needs root and mmdebstrap; reaches the Debian mirror from this machine only
# (DEBIAN_MIRROR, default http://deb.debian.org/debian).
#
# Each stand-in's user has the user and group ids of the official image, so the
# volumes it owns look the same to either:
#   node      node:20-bookworm-slim   trixie's Node.js 20 (bookworm's is 18)   node 1000:1000
#   postgres  postgres:16-alpine      bookworm's PostgreSQL 15                  postgres 70:70
#   redis     redis:7-alpine          bookworm's Redis 7.0                      redis 999:1000
set -eu

name=${1:?usage: rootfs.sh node|postgres|redis OUT.tar}
out=${2:?usage: rootfs.sh node|postgres|redis OUT.tar}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
security=${DEBIAN_SECURITY_MIRROR:-http://security.debian.org/debian-security}

case "$name" in
  node) suite=trixie; packages=nodejs,ca-certificates ;;
  postgres) suite=bookworm; packages=postgresql-15 ;;
  redis) suite=bookworm; packages=redis-server ;;
  *) echo "rootfs.sh: no stand-in named $name" >&2; exit 2 ;;
esac

# Moves a system user (and its group) that a package created to the official
# image's ids, and gives it back the files it owned.
renumber='renumber() {
  root=$1 user=$2 uid=$3 gid=$4
  old_uid=$(chroot "$root" id -u "$user") old_gid=$(chroot "$root" id -g "$user")
  chroot "$root" groupmod -g "$gid" "$user"
  chroot "$root" usermod -u "$uid" -g "$gid" "$user"
  find "$root" -xdev -uid "$old_uid" -exec chown -h "$uid" {} +
  find "$root" -xdev -gid "$old_gid" -exec chgrp -h "$gid" {} +
}'

case "$name" in
  node)
    # The official image's unprivileged user, which owns the key and report folders.
    customize='printf "node:x:1000:1000::/home/node:/bin/sh\n" >> "$1/etc/passwd"
      printf "node:x:1000:\n" >> "$1/etc/group"
      mkdir -p "$1/home/node" && chown 1000:1000 "$1/home/node"'
    ;;
  postgres)
    # The container initialises its own cluster (docker-entrypoint.sh), not the package.
    setup='mkdir -p "$1/etc/postgresql-common/createcluster.d"
      echo "create_main_cluster = false" > "$1/etc/postgresql-common/createcluster.d/no-main-cluster.conf"'
    customize="$renumber"'
      renumber "$1" postgres 70 70'
    ;;
  redis)
    customize="$renumber"'
      renumber "$1" redis 999 1000'
    ;;
esac

# Manuals, docs and translations are not needed in a container; nor is the LLVM
# that PostgreSQL's JIT would load (130 MB: the server runs without it, JIT off).
exec mmdebstrap --variant=essential --format=tar --include="$packages" \
  --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-include=/usr/share/locale/locale.alias' \
  --dpkgopt='path-exclude=/usr/lib/postgresql/*/lib/llvmjit*' \
  --dpkgopt='path-exclude=/usr/lib/postgresql/*/lib/bitcode/*' \
  --dpkgopt='path-exclude=/usr/lib/*/libLLVM*' \
  --dpkgopt='path-exclude=/usr/lib/*/libz3*' \
  --setup-hook="${setup:-true}" \
  --customize-hook="${customize:-true}" \
  --skip=output/dev \
  "$suite" "$out" \
  "deb $mirror $suite main" \
  "deb $mirror $suite-updates main" \
  "deb $security $suite-security main" \
  </dev/null
