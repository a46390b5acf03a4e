package dev.lockscope.model;

import java.util.List;

/**
 * The first event that proved a finding, as lockdep keeps one stack trace per dependency: the
 * task (comm-pid), CPU, timestamp, input line, and the held-lock stack at that moment
 * ({@code held}, bottom first, not including the lock being acquired).
 *
 * @param reacquired the dependency was made while lockdep re-acquired the locks above a lock
 *                   released out of order (the line is then the release's)
 * @param stack      the kernel stack of that event when the trace carries one (ftrace's
 *                   stacktrace option), innermost frame first; empty otherwise
 */
public record Witness(String comm, int pid, int cpu, long timeNs, long line, long addr, List<HeldLock> held,
                      boolean reacquired, List<String> stack) {

    public String task() {
        return comm + "-" + pid;
    }
}
