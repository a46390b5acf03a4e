package dev.lockscope.analysis;

import dev.lockscope.graph.Glob;
import dev.lockscope.model.EventSink;
import dev.lockscope.model.Tasks;
import java.util.Arrays;
import java.util.Locale;

/**
 * A window on the event stream: only events of matching tasks, CPUs and times reach the
 * engine, as if the trace held nothing else. Rule: an event passes when its task's comm (or
 * {@code comm-pid}, or pid) matches the task glob, its CPU is one of the CPUs given, and its
 * timestamp lies in {@code [from, to]}; lost-event markers always pass (the engine must still
 * drop what a CPU lost). Allocation-free per event: a task's verdict is cached until its comm changes.
 *
 * @param taskGlob null for every task
 * @param cpus     null for every CPU
 */
public record EventWindow(String taskGlob, int[] cpus, long fromNs, long toNs) {
    public static final EventWindow ALL = new EventWindow(null, null, Long.MIN_VALUE, Long.MAX_VALUE);

    public boolean isAll() {
        return taskGlob == null && cpus == null && fromNs == Long.MIN_VALUE && toNs == Long.MAX_VALUE;
    }

    /** {@code task=GLOB cpu=N,N time=A..B}, in the form the {@code filter} command takes. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (taskGlob != null) {
            sb.append("task=").append(taskGlob).append(' ');
        }
        if (cpus != null) {
            sb.append("cpu=");
            for (int i = 0; i < cpus.length; i++) {
                sb.append(i == 0 ? "" : ",").append(cpus[i]);
            }
            sb.append(' ');
        }
        if (fromNs != Long.MIN_VALUE || toNs != Long.MAX_VALUE) {
            sb.append("time=").append(fromNs == Long.MIN_VALUE ? "" : seconds(fromNs)).append("..")
                    .append(toNs == Long.MAX_VALUE ? "" : seconds(toNs)).append(' ');
        }
        return sb.length() == 0 ? "(everything)" : sb.toString().strip();
    }

    private static String seconds(long ns) {
        return String.format(Locale.ROOT, "%d.%09d", ns / 1_000_000_000L, ns % 1_000_000_000L)
                .replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** The sink that applies this window in front of {@code target}. */
    public Sink apply(EventSink target) {
        return new Sink(target);
    }

    /** The filtering sink; {@link #startInput} before each input (tasks are per input). */
    public final class Sink implements EventSink {
        private final EventSink target;
        private Tasks tasks;
        private int[] commSeen = new int[256];
        private byte[] verdict = new byte[256];

        Sink(EventSink target) {
            this.target = target;
        }

        public void startInput(Tasks inputTasks) {
            this.tasks = inputTasks;
            Arrays.fill(verdict, (byte) 0);
        }

        private boolean pass(int task, int cpu, long timeNs) {
            if (timeNs < fromNs || timeNs > toNs) {
                return false;
            }
            if (cpus != null && Arrays.binarySearch(cpus, cpu) < 0) {
                return false;
            }
            return taskGlob == null || taskMatches(task);
        }

        private boolean taskMatches(int task) {
            if (task >= verdict.length) {
                int n = Math.max(task + 1, verdict.length * 2);
                verdict = Arrays.copyOf(verdict, n);
                commSeen = Arrays.copyOf(commSeen, n);
            }
            int comm = tasks.commId(task);
            if (verdict[task] == 0 || commSeen[task] != comm) {
                commSeen[task] = comm;
                String c = tasks.comm(task);
                String pid = Integer.toString(tasks.pid(task));
                boolean m = Glob.matches(taskGlob, c) || Glob.matches(taskGlob, c + "-" + pid) || Glob.matches(taskGlob, pid);
                verdict[task] = (byte) (m ? 1 : 2);
            }
            return verdict[task] == 1;
        }

        @Override
        public void acquire(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls, boolean trylock,
                            boolean read) {
            if (pass(task, cpu, timeNs)) {
                target.acquire(task, cpu, ctx, timeNs, line, addr, cls, trylock, read);
            }
        }

        @Override
        public void release(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls) {
            if (pass(task, cpu, timeNs)) {
                target.release(task, cpu, ctx, timeNs, line, addr, cls);
            }
        }

        @Override
        public void contended(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls) {
            if (pass(task, cpu, timeNs)) {
                target.contended(task, cpu, ctx, timeNs, line, addr, cls);
            }
        }

        @Override
        public void acquired(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls) {
            if (pass(task, cpu, timeNs)) {
                target.acquired(task, cpu, ctx, timeNs, line, addr, cls);
            }
        }

        @Override
        public void lostEvents(int cpu, long count, long line) {
            target.lostEvents(cpu, count, line);
        }

        @Override
        public void contentionBegin(int task, int cpu, int ctx, long timeNs, long line, long addr, int flags,
                                    int nameHint) {
            if (pass(task, cpu, timeNs)) {
                target.contentionBegin(task, cpu, ctx, timeNs, line, addr, flags, nameHint);
            }
        }

        @Override
        public void contentionEnd(int task, int cpu, int ctx, long timeNs, long line, long addr) {
            if (pass(task, cpu, timeNs)) {
                target.contentionEnd(task, cpu, ctx, timeNs, line, addr);
            }
        }

        @Override
        public void remoteDemote(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls) {
            if (pass(task, cpu, timeNs)) {
                target.remoteDemote(task, cpu, ctx, timeNs, line, addr, cls);
            }
        }
    }
}
