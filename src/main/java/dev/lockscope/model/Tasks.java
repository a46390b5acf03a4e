package dev.lockscope.model;

import dev.lockscope.util.ByteSymbols;
import dev.lockscope.util.LongIntMap;
import java.util.Arrays;

/**
 * Task identities. A task is a pid, except pid 0, which is the idle task of each CPU
 * ({@code <idle>-0} runs on every CPU at once). The comm is tracked per task as it changes
 * (exec renames a task while it may hold locks, so the comm is not part of the identity); the
 * unknown comm {@code <...>} never overwrites a known one.
 */
public final class Tasks {
    private final ByteSymbols comms = new ByteSymbols();
    private final LongIntMap byKey = new LongIntMap(256);
    private int[] pids = new int[256];
    private int[] commIds = new int[256];
    /** comm-pid per task, built on first use and dropped when the comm changes: label() runs per contention. */
    private String[] labels = new String[256];
    private int count;
    /** Changes whenever a task is added or its comm changes: a reader may reuse task() results while it stays. */
    private int version;
    private final int unknownComm = comms.intern("<...>");

    public int size() {
        return count;
    }

    public ByteSymbols comms() {
        return comms;
    }

    /** Returns the task for {@code pid} seen on {@code cpu} with the comm bytes given. */
    public int task(int pid, int cpu, byte[] buf, int commOff, int commLen) {
        long key = pid == 0 ? ((long) cpu << 32) | 0x80000000L : pid;
        int t = byKey.get(key);
        if (t >= 0 && comms.equalsAt(commIds[t], buf, commOff, commLen)) {
            return t;
        }
        int comm = comms.intern(buf, commOff, commLen);
        if (t < 0) {
            t = count++;
            if (t == pids.length) {
                pids = Arrays.copyOf(pids, t * 2);
                commIds = Arrays.copyOf(commIds, t * 2);
                labels = Arrays.copyOf(labels, t * 2);
            }
            pids[t] = pid;
            commIds[t] = comm;
            byKey.put(key, t);
            version++;
        } else if (commIds[t] != comm && comm != unknownComm) {
            commIds[t] = comm;
            labels[t] = null;
            version++;
        }
        return t;
    }

    public int task(int pid, int cpu, String comm) {
        byte[] b = comm.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return task(pid, cpu, b, 0, b.length);
    }

    /**
     * Changes whenever {@link #task} adds a task or changes a comm. While it stays the same,
     * task() called again with the same pid, cpu and comm returns the same task and changes nothing.
     */
    public int version() {
        return version;
    }

    public int pid(int task) {
        return pids[task];
    }

    /** The current comm as an id in {@link #comms()}: changes when the task's comm does. */
    public int commId(int task) {
        return commIds[task];
    }

    public String comm(int task) {
        return comms.name(commIds[task]);
    }

    /** comm-pid as ftrace prints it, e.g. {@code lockinv/mutex_b-173}. */
    public String label(int task) {
        String l = labels[task];
        if (l == null) {
            l = comm(task) + "-" + pids[task];
            labels[task] = l;
        }
        return l;
    }
}
