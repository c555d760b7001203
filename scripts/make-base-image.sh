#!/usr/bin/env bash
# Makes a local stand-in for the official .NET runtime-deps image (the default BASE_IMAGE of deploy/Dockerfile), so the
# image can be built where no registry is reachable: a Debian minbase with the runtime's native dependencies and the
# "app" user (uid 1654) of the official images, made by mmdebstrap from this machine's configured apt mirror.
# The root filesystem is cached as a tarball (default under ~/.cache/mirage-image), so later runs only import it.
# Usage: scripts/make-base-image.sh IMAGE_NAME [podman global flags...]
set -euo pipefail
image=${1:?usage: make-base-image.sh IMAGE_NAME [podman flags...]}
shift
podman=(podman "$@")
if "${podman[@]}" image exists "$image"; then
  exit 0
fi
cache=${MIRAGE_IMAGE_CACHE:-$HOME/.cache/mirage-image}
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}")
tarball="$cache/runtime-deps-$suite.tar"
if [ ! -f "$tarball" ]; then
  command -v mmdebstrap >/dev/null || { echo "make-base-image.sh: mmdebstrap is not installed (apt-get install mmdebstrap)" >&2; exit 1; }
  # The first Debian mirror apt is configured with (deb822 .sources or one-line .list), never a host written here.
  mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' | grep -v security | head -n1)
  if [ -z "$mirror" ]; then
    mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | sed -n 's/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' | grep -v security | head -n1)
  fi
  [ -n "$mirror" ] || { echo "make-base-image.sh: no apt mirror found in /etc/apt/sources.list(.d)" >&2; exit 1; }
  mkdir -p "$cache"
  # What the official .NET runtime-deps image installs on Debian, and its non-root user.
  mmdebstrap --quiet --variant=minbase --mode=root \
    --include=ca-certificates,libc6,libgcc-s1,libicu72,libssl3,libstdc++6,tzdata,zlib1g \
    --customize-hook='chroot "$1" groupadd --gid 1654 app' \
    --customize-hook='chroot "$1" useradd --uid 1654 --gid 1654 --no-create-home --home-dir /home/app --shell /bin/false app' \
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
    "$suite" "$cache/partial.tar" "$mirror"
  mv "$cache/partial.tar" "$tarball"
fi
"${podman[@]}" import --change 'ENV APP_UID=1654' --change 'CMD ["/bin/sh"]' "$tarball" "$image" >/dev/null
