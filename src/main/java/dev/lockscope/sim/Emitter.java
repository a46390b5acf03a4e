package dev.lockscope.sim;

/**
 * Where the simulator's events go: {@link FtraceText} writes what a lockdep kernel's ftrace
 * would; exploration uses {@link #NONE}. {@code task} indexes the program's tasks, {@code inst}
 * its lock instances; {@code timeNs} is virtual time.
 */
public interface Emitter {
    void acquire(int task, int inst, boolean read, long timeNs);

    void contended(int task, int inst, long timeNs);

    void acquired(int task, int inst, long timeNs);

    void release(int task, int inst, long timeNs);

    /** {@code gfs2_glock_queue ... queue|dequeue STATE}. */
    void glockQueue(int task, int inst, int mode, boolean dequeue, long timeNs);

    /** {@code gfs2_promote ... promote STATE}. */
    void glockPromote(int task, int inst, int mode, long timeNs);

    /** {@code gfs2_glock_state_change}: states as glock codes (0 NL, 1 EX, 2 CW, 3 PR). */
    void glockStateChange(int task, int inst, int from, int to, int target, int demote, long timeNs);

    /** {@code gfs2_demote_rq ... demote FROM to TO flags:.. remote}. */
    void glockDemoteRequest(int task, int inst, int from, int to, long timeNs);

    /** Emits nothing. */
    Emitter NONE = new Emitter() {
        @Override
        public void acquire(int task, int inst, boolean read, long timeNs) {
        }

        @Override
        public void contended(int task, int inst, long timeNs) {
        }

        @Override
        public void acquired(int task, int inst, long timeNs) {
        }

        @Override
        public void release(int task, int inst, long timeNs) {
        }

        @Override
        public void glockQueue(int task, int inst, int mode, boolean dequeue, long timeNs) {
        }

        @Override
        public void glockPromote(int task, int inst, int mode, long timeNs) {
        }

        @Override
        public void glockStateChange(int task, int inst, int from, int to, int target, int demote, long timeNs) {
        }

        @Override
        public void glockDemoteRequest(int task, int inst, int from, int to, long timeNs) {
        }
    };
}
