package dev.lockscope.perf;

import dev.lockscope.sim.Compiler;
import dev.lockscope.sim.Emitter;
import dev.lockscope.sim.FtraceText;
import dev.lockscope.sim.Program;
import dev.lockscope.sim.ScenarioParser;
import dev.lockscope.sim.Simulator;
import java.io.OutputStream;
import java.util.Locale;

/**
 * The simulator's event rate (not a test): {@code java -cp target/lockscope.jar:target/test-classes
 * dev.lockscope.perf.SimulateBenchmark [ITERATIONS]}. A generated scenario of 8 tasks, each looping
 * over nested mutex, rwsem (read and write), spinlock and pagecache-lock sections and a
 * user-memory touch (might_fault annotation), is run with a fixed seed (1) with the ftrace text
 * written to a discarding stream, (2) with no output at all; 3 rounds each, events/s per round.
 */
public final class SimulateBenchmark {
    private SimulateBenchmark() {
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        StringBuilder sc = new StringBuilder();
        sc.append("lock mmap_lock rwsem \"&mm->mmap_lock\" per mm\n")
                .append("lock big mutex \"bench_mutex\" global\n")
                .append("lock sem rwsem \"bench_rwsem\" per file\n")
                .append("lock spin spinlock \"bench_spin\" per file\n")
                .append("lock pc pagecache \"bench_pagecache\" per file\n")
                .append("fs f fault flt\nproc flt(x)\n  lock pc(x) add\n  unlock pc(x)\nend\n")
                .append("file A f 1\nfile B f 2\nmm M\nmap b M A resident\n");
        for (int t = 0; t < 8; t++) {
            String file = t % 2 == 0 ? "A" : "B";
            sc.append("task t").append(t).append(" mm M\n  loop ").append(iterations).append('\n')
                    .append("    lock sem(").append(file).append(t % 4 == 0 ? ") write\n" : ") read\n")
                    .append("    lock big\n    lock spin(").append(file).append(")\n    unlock spin(").append(file).append(")\n")
                    .append("    unlock big\n    lock pc(").append(file).append(") add\n    touch b\n    unlock pc(").append(file)
                    .append(")\n    unlock sem(").append(file).append(")\n  end\nend\n");
        }
        Program p = Compiler.compile(ScenarioParser.parse("bench.scn", sc.toString()), null);
        OutputStream sink = OutputStream.nullOutputStream();
        for (int round = 1; round <= 3; round++) {
            FtraceText text = new FtraceText(p, sink);
            long t0 = System.nanoTime();
            Simulator.Result r = Simulator.run(p, round, text);
            text.flush();
            report("ftrace text", round, r.events(), System.nanoTime() - t0, r.deadlock());
        }
        for (int round = 1; round <= 3; round++) {
            long t0 = System.nanoTime();
            Simulator.Result r = Simulator.run(p, round, Emitter.NONE);
            report("no output ", round, r.events(), System.nanoTime() - t0, r.deadlock());
        }
    }

    private static void report(String what, int round, long events, long ns, boolean deadlock) {
        System.out.printf(Locale.ROOT, "%s round %d: %,d events in %.2f s = %.2f M events/s%s%n", what, round, events,
                ns / 1e9, events * 1e3 / ns, deadlock ? " (deadlocked!)" : "");
    }
}
