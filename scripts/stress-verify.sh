#!/usr/bin/env bash
# Runs the whole `./mvnw -B -ntp verify` N times in a row while one busy loop per core keeps the
# CPUs saturated, then reports how many runs failed and every failing test with its count.
# A flaky test is a bug: this is how to find one before CI does.
#
# Usage: scripts/stress-verify.sh N [extra Maven arguments...]
#   e.g. scripts/stress-verify.sh 5 -Dmaven.repo.local=/tmp/m2 -o
# Environment: STRESS_HOGS  number of busy loops (default: nproc; 0 runs without load)
#              STRESS_OUT   where logs and test reports go (default: target/stress-verify/<time>)
# Failing tests do not stop a run (-Dmaven.test.failure.ignore=true): every module is tested each time.
# Exit status: 0 when every run passed, 1 when any failed, 2 on bad usage.
set -uo pipefail

usage() {
  sed -n '2,11s/^# \{0,1\}//p' "$0" >&2
  exit 2
}
[ $# -ge 1 ] || usage
runs=$1
shift
case "$runs" in '' | *[!0-9]* | 0) echo "N must be a positive number, got '$runs'" >&2; usage ;; esac

cd "$(dirname "$0")/.."
source ./scripts/java-home.sh

hogs=${STRESS_HOGS:-$(nproc)}
case "$hogs" in '' | *[!0-9]*) echo "STRESS_HOGS must be a number, got '$hogs'" >&2; exit 2 ;; esac
out=${STRESS_OUT:-target/stress-verify/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"

hog_pids=()
stop_hogs() {
  if [ ${#hog_pids[@]} -gt 0 ]; then
    kill "${hog_pids[@]}" 2>/dev/null
    wait "${hog_pids[@]}" 2>/dev/null
    hog_pids=()
  fi
}
# The hogs never outlive the script, however it ends.
trap stop_hogs EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for ((i = 0; i < hogs; i++)); do
  ( while :; do :; done ) &
  hog_pids+=($!)
done
echo "stress-verify: $runs run(s) of './mvnw -B -ntp verify $*' with $hogs busy loop(s); logs in $out"

# Prints Class.method for every testcase with a <failure> or <error> in the given surefire/failsafe XML files.
failing_tests() {
  awk '
    /<testcase[ >]/ {
      cls = ""; name = ""
      if (match($0, /classname="[^"]*"/)) cls = substr($0, RSTART + 11, RLENGTH - 12)
      if (match($0, / name="[^"]*"/)) name = substr($0, RSTART + 7, RLENGTH - 8)
    }
    /<(failure|error)[ >\/]/ { if (name != "" || cls != "") print cls "." name; name = ""; cls = "" }
  ' "$@" | sort -u
}

failed_runs=0
all_failures="$out/failing-tests.txt"
: >"$all_failures"
for ((run = 1; run <= runs; run++)); do
  # Reports left by an earlier run would be counted again if this one stops before a module.
  find . -path ./.git -prune -o -type d \( -name surefire-reports -o -name failsafe-reports \) -path '*/target/*' -print0 \
    | xargs -0 rm -rf
  log="$out/run-$run.log"
  started=$(date +%s)
  # Failing tests do not stop the build, so every module's tests run in every run; the reports decide.
  ./mvnw -B -ntp verify -Dmaven.test.failure.ignore=true "$@" >"$log" 2>&1
  status=$?
  seconds=$(($(date +%s) - started))

  reports="$out/run-$run-reports"
  mkdir -p "$reports"
  find . -path ./.git -prune -o -path "./$out" -prune -o -type f -name 'TEST-*.xml' \
    \( -path '*/target/surefire-reports/*' -o -path '*/target/failsafe-reports/*' \) -print \
    | while read -r f; do
        # flattened (module_target_surefire-reports_TEST-x.xml): the next run's clean-up must not find it
        rel=${f#./}
        cp "$f" "$reports/${rel//\//_}"
      done
  mapfile -t xmls < <(find "$reports" -type f -name '*TEST-*.xml')
  tests_failed=""
  if [ ${#xmls[@]} -gt 0 ]; then
    tests_failed=$(failing_tests "${xmls[@]}")
  fi

  if [ $status -eq 0 ] && [ -z "$tests_failed" ]; then
    echo "run $run/$runs: passed in ${seconds}s"
  else
    failed_runs=$((failed_runs + 1))
    if [ -z "$tests_failed" ]; then
      # The build broke outside a test (compilation, a crashed fork, a plugin): say so, see the log.
      tests_failed="(build failed without a failing test report: see $log)"
    fi
    printf '%s\n' "$tests_failed" >>"$all_failures"
    echo "run $run/$runs: FAILED (exit $status) in ${seconds}s; failing:"
    printf '%s\n' "$tests_failed" | sed 's/^/  /'
  fi
done
stop_hogs

echo
echo "stress-verify summary: $runs run(s), $failed_runs failed"
if [ -s "$all_failures" ]; then
  echo "failing tests (count of runs in which each failed):"
  sort "$all_failures" | uniq -c | sort -rn
fi
echo "logs and reports: $out"
[ $failed_runs -eq 0 ]
