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
echo "== in one JVM (C2 only, as a long-running JVM would be): a cold run, then two JIT-warm runs"
taskset -c 0 java -Xmx256m -XX:-TieredCompilation -cp "$cp" dev.lockscope.perf.Benchmark "$capture" "$events" target/bench/replayed.trace e2e
echo "== the launcher (target/lockscope, with its JIT flags), end to end, three cold runs"
for run in 1 2 3; do
  /usr/bin/time -f "lockscope analyze: %e s wall, %M KB max RSS" taskset -c 0 env JAVA_TOOL_OPTIONS=-Xmx256m \
    target/lockscope analyze --timing target/bench/replayed.trace 2>&1 \
    | grep -E 'events/second|peak heap|read\+engine|wall'
done
echo "== the engine alone, events replayed from memory (C2 only), in three JVMs of its own as JMH forks would be:"
echo "   the JIT's inlining decisions differ from one JVM to the next, so one JVM's rounds are not the whole picture"
rounds=target/bench/engine-rounds.txt
: > "$rounds"
for fork in 1 2 3; do
  taskset -c 0 java -Xmx256m -XX:-TieredCompilation -cp "$cp" dev.lockscope.perf.Benchmark "$capture" "$events" target/bench/replayed.trace engine \
    | tee -a "$rounds" | grep -v '^engine rounds'
done
grep '^engine rounds' "$rounds" | cut -d: -f2 | tr ' ' '\n' | grep . | sort -n \
  | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
      printf "engine alone, all %d rounds of the three JVMs: median %.1f M events/s (%.1f ns/event), best %.1f M, worst %.1f M\n",
        NR, 1000 / m, m, 1000 / v[1], 1000 / v[NR] }'
echo "== the simulator (8 tasks x 100000 iterations, ftrace text to a discarding stream)"
taskset -c 0 java -Xmx256m -XX:-TieredCompilation -cp "$cp" dev.lockscope.perf.SimulateBenchmark 100000
