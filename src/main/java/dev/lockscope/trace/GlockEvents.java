package dev.lockscope.trace;

import dev.lockscope.util.ByteSymbols;

/**
 * gfs2 glocks as lock classes. Lockdep never sees glocks (they are cluster locks); their holders
 * appear only as gfs2 tracepoints (fs/gfs2/trace_gfs2.h):
 * {@code gfs2_glock_queue: 7,1 glock 2:4394 queue EX} (request, in the requester's context) →
 * {@code gfs2_promote: 7,1 glock 2:4394 promote EX} (granted; may run from the glock work queue,
 * so its pid is not the holder's) → {@code gfs2_glock_queue: ... dequeue EX} (released).
 *
 * <p>Class = {@code glock:<type name>} (inode, rgrp, iopen, ...); instance = (device, type,
 * number), packed into a synthetic address {@code 6 MM mmm T nnnnnnnnn} (hex: marker 6, major,
 * minor, type, number) so reports show it. Requested state PR (shared) is a non-recursive read;
 * EX is exclusive; CW (deferred) conflicts with both and counts as exclusive. A promote is
 * attributed to the oldest queued holder of that glock and state.
 */
final class GlockEvents {
    static final String[] TYPES = {"reserved", "nondisk", "inode", "rgrp", "meta", "iopen", "flock", "plock",
        "quota", "journal"};
    private static final int MAX_WAITERS = 4096;

    private final ByteSymbols classes;
    private final int[] classIds = new int[16];
    private int waiters;
    private final long[] wAddr = new long[MAX_WAITERS];
    private final int[] wTask = new int[MAX_WAITERS];
    private final boolean[] wShared = new boolean[MAX_WAITERS];

    GlockEvents(ByteSymbols classes) {
        this.classes = classes;
        java.util.Arrays.fill(classIds, -1);
    }

    int classOf(int type) {
        int t = type & 15;
        if (classIds[t] < 0) {
            classIds[t] = classes.intern("glock:" + (t < TYPES.length ? TYPES[t] : "type" + t));
        }
        return classIds[t];
    }

    /**
     * Glocks held on behalf of an object rather than a task (GL_NOPID in gfs2): the iopen glock
     * for the whole in-core life of an inode, the journal and the nondisk (live, freeze) glocks
     * for the life of the mount. Putting them on the stack of the task that queued them would
     * order everything that task does later after them; they are counted instead.
     */
    static boolean objectHeld(int type) {
        return type == 1 || type == 5 || type == 9;
    }

    static long address(long major, long minor, int type, long number) {
        return 0x6000000000000000L | (major & 0xff) << 52 | (minor & 0xfff) << 40 | ((long) type & 0xf) << 36
                | (number & 0xfffffffffL);
    }

    /** A holder queued: remember it for the promote that grants it. */
    void queued(int task, long addr, boolean shared) {
        if (waiters == MAX_WAITERS) {
            remove(0);
        }
        wAddr[waiters] = addr;
        wTask[waiters] = task;
        wShared[waiters] = shared;
        waiters++;
    }

    /** The task the promote of {@code addr} in this state grants, or -1 if it was queued before the trace. */
    int promoted(long addr, boolean shared) {
        for (int i = 0; i < waiters; i++) {
            if (wAddr[i] == addr && wShared[i] == shared) {
                int task = wTask[i];
                remove(i);
                return task;
            }
        }
        return -1;
    }

    /** A holder left the queue (granted or not). */
    void dequeued(int task, long addr) {
        for (int i = 0; i < waiters; i++) {
            if (wAddr[i] == addr && wTask[i] == task) {
                remove(i);
                return;
            }
        }
    }

    private void remove(int i) {
        System.arraycopy(wAddr, i + 1, wAddr, i, waiters - i - 1);
        System.arraycopy(wTask, i + 1, wTask, i, waiters - i - 1);
        System.arraycopy(wShared, i + 1, wShared, i, waiters - i - 1);
        waiters--;
    }
}
