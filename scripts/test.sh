#!/usr/bin/env bash
# Runs the whole test suite, installing what the tests need when it is missing (moto, Chromium, podman, npm), and ends
# with the line "N passed, N failed". Usage: scripts/test.sh [extra dotnet test arguments]
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# strace: the durability test watches the file store's renames and fsyncs as the kernel sees them.
command -v strace >/dev/null 2>&1 || need_apt+=(strace)
# A Docker-API engine for the LocalEcs container runtime tests: podman, with runc and cgroupfs (see toolchain.md).
command -v podman >/dev/null 2>&1 || need_apt+=(podman runc uidmap slirp4netns fuse-overlayfs busybox-static)
# The deploy tests: mmdebstrap makes the image's base from the apt mirror (cached under ~/.cache/mirage-image), and
# the Python docker-compose runs the Compose example against podman.
command -v mmdebstrap >/dev/null 2>&1 || need_apt+=(mmdebstrap)
command -v docker-compose >/dev/null 2>&1 || need_apt+=(docker-compose)
# npm fetches the Bootstrap and htmx that mirage-ecs's own templates load from CDNs, for the browser test of them
# (cached under ~/.cache/mirage-cdn-packages; Chromium gets them from there, never from the internet).
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "test.sh: installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need_apt[@]}" >/dev/null \
    || { echo "test.sh: could not install ${need_apt[*]}" >&2; exit 1; }
fi
export MIRAGE_MOTO_DIR=${MIRAGE_MOTO_DIR:-$HOME/.cache/mirage-moto}
bash scripts/install-moto.sh "$MIRAGE_MOTO_DIR" >/dev/null || { echo "test.sh: could not install moto" >&2; exit 1; }

engine_dir=$(mktemp -d /tmp/mirage-engine.XXXXXX)
printf '[containers]\ndefault_ulimits = []\n' > "$engine_dir/containers.conf"
export CONTAINERS_CONF="$engine_dir/containers.conf"
podman --runtime /usr/sbin/runc --cgroup-manager=cgroupfs system service "unix://$engine_dir/engine.sock" --time=0 \
  >"$engine_dir/service.log" 2>&1 &
engine_pid=$!
trap 'kill "$engine_pid" 2>/dev/null; wait "$engine_pid" 2>/dev/null; rm -rf "$engine_dir"' EXIT
export MIRAGE_TEST_DOCKER_HOST="unix://$engine_dir/engine.sock"

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
dotnet build Mirage.sln -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }
dotnet test Mirage.sln --no-build -nologo --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0}))
done
# A test run that crashed leaves no counters: count it as a failure rather than report a clean run.
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
