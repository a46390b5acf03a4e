#!/usr/bin/env bash
# lockscope benchmark: builds a >= 10 M-event ftrace file by replaying a real capture (pids and
# timestamps shifted per copy) and measures `analyze` end to end and the engine alone, on one
# core, with the heap capped at 256 MB. Not part of the test command.
#   bash src/bench/bench.sh [CAPTURE] [EVENTS]
set -euo pipefail
cd "$(dirname "$0")/../.."
capture=${1:-../shared/traces/kernel-6.1/fs/traces/f_mix_concurrent.trace.xz}
events=${2:-10000000}
[ -f target/lockscope.jar ] || mvn -q -B -DskipTests package
[ -d target/test-classes/dev/lockscope/perf ] || mvn -q -B test-compile
cp=target/lockscope.jar:target/test-classes
echo "== benchmark (taskset -c 0: one core; -Xmx256m)"
taskset -c 0 java -Xmx256m -XX:-TieredCompilation -cp "$cp" dev.lockscope.perf.Benchmark "$capture" "$events" target/bench/replayed.trace
echo "== the launcher, end to end"
/usr/bin/time -f "lockscope analyze: %e s wall, %M KB max RSS" taskset -c 0 env JAVA_OPTS= \
  java -Xmx256m -XX:-TieredCompilation -jar target/lockscope.jar analyze --timing target/bench/replayed.trace \
  | sed -n '/statistics/,$p' | grep -E 'lock events|events/second|lines/second|peak heap|read\+engine'
echo "== the simulator (8 tasks x 100000 iterations, ftrace text to a discarding stream)"
taskset -c 0 java -Xmx256m -XX:-TieredCompilation -cp "$cp" dev.lockscope.perf.SimulateBenchmark 100000
