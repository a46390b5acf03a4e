package dev.lockscope.model;

/**
 * The flags of {@code lock:contention_begin} (include/trace/events/lock.h): there is no rwsem
 * or semaphore bit; the lock type follows from the combination, as perf lock reads it.
 */
public final class ContentionFlags {
    public static final int SPIN = 1;
    public static final int READ = 2;
    public static final int WRITE = 4;
    public static final int RT = 8;
    public static final int PERCPU = 16;
    public static final int MUTEX = 32;

    private ContentionFlags() {
    }

    /** perf lock's table (tools/perf/builtin-lock.c): e.g. READ alone = rwsem:R, 0 = semaphore. */
    public static String lockType(int flags) {
        int f = flags & 63;
        if ((f & MUTEX) != 0) {
            return "mutex";
        }
        if ((f & PERCPU) != 0) {
            return (f & READ) != 0 ? "pcpu-sem:R" : "pcpu-sem:W";
        }
        if ((f & RT) != 0) {
            return (f & READ) != 0 ? "rwlock-rt:R" : (f & WRITE) != 0 ? "rwlock-rt:W" : "rtmutex";
        }
        if ((f & SPIN) != 0) {
            return (f & READ) != 0 ? "rwlock:R" : (f & WRITE) != 0 ? "rwlock:W" : "spinlock";
        }
        if ((f & READ) != 0) {
            return "rwsem:R";
        }
        if ((f & WRITE) != 0) {
            return "rwsem:W";
        }
        return "semaphore";
    }
}
