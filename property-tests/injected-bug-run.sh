#!/usr/bin/env bash
# Plants each of the given kernel bugs (io.capipc.kernel.bugs.InjectedBug; by default the three of
# issue 15) in turn, runs the property suite alone against it (the Guarantee and *Property classes,
# without InjectedFaultsTest, Lincheck or the allocation test), and expects the suite to fail.
# Prints, per bug, which properties failed. Exit status 1 if the suite passed against any bug.
#   property-tests/injected-bug-run.sh [BUG ...]
set -u
cd "$(dirname "$0")/.."
bugs=("$@")
if [ ${#bugs[@]} -eq 0 ]; then
  bugs=(REVOKE_LEAVES_GRANDCHILDREN REVOKE_SPARES_QUEUED_CAPS DESTROY_KEEPS_RECEIVERS)
fi
tests='Guarantee0*,Guarantee10*,Guarantee12*,*Property,!Guarantee11*,!Guarantee13*'
escaped=0
for bug in "${bugs[@]}"; do
  log=$(mktemp)
  mvn -B -ntp -o test -pl api,capabilities,kernel-model,property-tests -am -Dsurefire.failIfNoSpecifiedTests=false \
      -Dtest="$tests" -Dcapipc.props.injectBug="$bug" >"$log" 2>&1
  failed=$(grep -oE '^\[ERROR\] +[A-Z][A-Za-z0-9]+\.[A-Za-z_]+' "$log" | awk '{print $2}' | sort -u | tr '\n' ' ')
  if grep -q 'BUILD SUCCESS' "$log"; then
    echo "$bug: NOT CAUGHT (the suite passed)"
    escaped=1
  elif [ -n "$failed" ]; then
    echo "$bug: caught by $failed"
  else
    echo "$bug: the build failed before the suite ran; see $log"
    escaped=1
  fi
done
exit $escaped
