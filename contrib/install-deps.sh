#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installs the Debian packages memtracer needs to build and to run its test
# suite.  Quiet and idempotent: when everything is present it does nothing,
# not even an apt-get update.
set -eu

PACKAGES="
build-essential autoconf automake pkg-config
libdw-dev libelf-dev libunwind-dev libcapstone-dev libjansson-dev libiberty-dev zlib1g-dev
libprotobuf-c-dev protobuf-c-compiler
jq valgrind gdb file sqlite3 elfutils musl-tools binutils golang-go
"

missing=
for pkg in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	*"ok installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1; then
	sudo=sudo
else
	echo "install-deps: missing packages:$missing; run this script as root (no sudo found)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get update -qq >/dev/null ||
   ! $sudo apt-get install -qq -y --no-install-recommends $missing >/dev/null; then
	echo "install-deps: apt-get could not install:$missing" >&2
	exit 1
fi
