#!/usr/bin/env bash
# The newcomer's path, checked end to end: a fresh `git clone` of this checkout's HEAD, an empty
# local Maven repository, `./kardia up` on a free port with its own data directory; waits until
# the API answers GET /version (with the kubeconfig's token and CA, as kubectl would), stops it
# with SIGTERM, and checks that nothing it started is left running. Run by .ci/run after verify.
#   scripts/fresh-clone-check.sh            (KARDIA_FRESH_TIMEOUT: seconds allowed for build + start, default 900)
# Prints how long the build and start took; exits non-zero, with the control plane's log, on failure.
set -euo pipefail
source "$(dirname "$0")/java-home.sh"
root=$(cd "$(dirname "$0")/.." && pwd)
timeout=${KARDIA_FRESH_TIMEOUT:-900}

work=$(mktemp -d "${TMPDIR:-/tmp}/kardia-fresh.XXXXXX")
up_pid=""
cleanup() {
  if [ -n "$up_pid" ] && kill -0 "$up_pid" 2>/dev/null; then kill -KILL "$up_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "fresh-clone-check: FAILED: $*" >&2
  echo "---- kardia up output ----" >&2; tail -n 60 "$work/up.log" >&2 || true
  exit 1
}

git clone -q --no-local "$root" "$work/kardia"
mkdir -p "$work/m2"
echo "fresh-clone-check: clone of $(git -C "$root" rev-parse --short HEAD) in $work/kardia, empty Maven repository $work/m2"

start=$(date +%s)
# MAVEN_ARGS reaches the launcher's build (Maven 3.9 reads it): an empty local repository.
(cd "$work/kardia" && exec env MAVEN_ARGS="-Dmaven.repo.local=$work/m2" ./kardia up --data-dir "$work/data" --port 0) \
  >"$work/up.log" 2>&1 &
up_pid=$!

kubeconfig=$work/data/kubeconfig
version=""
while [ -z "$version" ]; do
  kill -0 "$up_pid" 2>/dev/null || fail "./kardia up exited before serving /version"
  [ $(( $(date +%s) - start )) -lt "$timeout" ] || fail "no answer from /version within ${timeout}s"
  if [ -f "$kubeconfig" ]; then
    server=$(sed -n 's/^ *server: *//p' "$kubeconfig")
    token=$(sed -n 's/^ *token: *//p' "$kubeconfig")
    sed -n 's/^ *certificate-authority-data: *//p' "$kubeconfig" | base64 -d >"$work/ca.pem"
    version=$(curl -sf --max-time 5 --cacert "$work/ca.pem" -H "Authorization: Bearer $token" "$server/version" || true)
  fi
  [ -n "$version" ] || sleep 1   # polling an external process: nothing to wait on but time
done
ready=$(( $(date +%s) - start ))
echo "fresh-clone-check: $server/version answered after ${ready}s (build from an empty repository + start): $(echo "$version" | tr -d ' \n')"
grep -q '"gitVersion"' <<<"$version" || fail "/version did not return a version document: $version"

kill -TERM "$up_pid"
for _ in $(seq 1 60); do kill -0 "$up_pid" 2>/dev/null || break; sleep 1; done
kill -0 "$up_pid" 2>/dev/null && fail "./kardia up still running 60s after SIGTERM"
wait "$up_pid" 2>/dev/null || true
up_pid=""

# Nothing left behind: no process started from the clone, and the port is closed.
leftovers=$(pgrep -f "$work/" || true)
if [ -n "$leftovers" ]; then
  kill -KILL $leftovers 2>/dev/null || true
  fail "processes left running after stop: $leftovers"
fi
curl -s --max-time 5 --cacert "$work/ca.pem" "$server/version" >/dev/null && fail "$server still answers after stop"
# The jar is the launcher's stamp: with nothing changed, the next call builds nothing.
again=$(cd "$work/kardia" && MAVEN_ARGS="-o -Dmaven.repo.local=$work/m2" ./kardia --version 2>&1) \
  || fail "./kardia --version failed: $again"
if grep -q "building" <<<"$again"; then fail "./kardia rebuilt although nothing changed: $again"; fi
grep -q "^Kubernetes API v" <<<"$again" || fail "./kardia --version printed: $again"
echo "fresh-clone-check: OK (stopped cleanly, nothing left running, no rebuild on the next call; $(( $(date +%s) - start ))s in all)"
