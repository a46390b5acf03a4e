package dev.lockscope.graph;

import dev.lockscope.model.Witness;
import dev.lockscope.util.LongIntMap;
import java.util.Arrays;

/**
 * The class-level dependency graph: a direct edge {@code prev -> next} means some task acquired
 * {@code next} while {@code prev} was the lock lockdep's {@code check_prevs_add} connects it to.
 * Edges only grow. Each keeps lockdep's 4-bit dependency mask ({@code lock_list.dep}), how often
 * it was exercised, its first witness, and (for {@code why}) the first witness of each of up to
 * {@link #MAX_WITNESSES} distinct tasks: once an edge has that many, recording costs one compare.
 *
 * <p>Dependency type bits, as in lockdep.c: bit = (prev exclusive ? 1 : 0) + (next non-recursive ? 2 : 0):
 * {@link #SR}, {@link #ER}, {@link #SN}, {@link #EN}.
 */
public final class DependencyGraph {
    public static final int SR = 0;
    public static final int ER = 1;
    public static final int SN = 2;
    public static final int EN = 3;
    private static final String[] TYPE_NAMES = {"SR", "ER", "SN", "EN"};
    /** Witnesses kept per edge: the first of each distinct task, up to this many tasks. */
    public static final int MAX_WITNESSES = 8;

    private final LongIntMap byPair = new LongIntMap(8192);
    private int count;
    private int[] from = new int[1024];
    private int[] to = new int[1024];
    private int[] mask = new int[1024];
    private long[] exercised = new long[1024];
    private Witness[] witness = new Witness[1024];
    private int[] witnessTask = new int[1024];
    private long[] nextAddr = new long[1024];
    private long[] prevAddr = new long[1024];
    private byte[] reads = new byte[1024];
    private byte[] distance = new byte[1024];
    private boolean[] might = new boolean[1024];
    private String[][] tasksOf = new String[1024][];
    private boolean[] moreTasks = new boolean[1024];
    private int[] lastTask = new int[1024];
    /** Per edge, MAX_WITNESSES slots: the task keys and witnesses recorded so far (slot 0 = the first witness). */
    private long[] taskKeys = new long[1024 * MAX_WITNESSES];
    private Witness[] witnesses = new Witness[1024 * MAX_WITNESSES];
    private byte[] witnessCount = new byte[1024];

    /** lockdep's {@code calc_dep}: the type bit for a prev/next pair of read states. */
    public static int depType(int prevRead, int nextRead) {
        return (prevRead == 0 ? 1 : 0) + (nextRead != 2 ? 2 : 0);
    }

    public static String typeNames(int mask) {
        StringBuilder sb = new StringBuilder();
        for (int t = 3; t >= 0; t--) {
            if ((mask & (1 << t)) != 0) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(TYPE_NAMES[t]);
            }
        }
        return sb.toString();
    }

    public int size() {
        return count;
    }

    public int find(int prev, int next) {
        return byPair.get(((long) prev << 32) | (next & 0xffffffffL));
    }

    int add(int prev, int next, Witness w, long taskKey, long prevAddress, long nextAddress, int prevRead, int nextRead) {
        int e = count++;
        if (e == from.length) {
            int n = e * 2;
            from = Arrays.copyOf(from, n);
            to = Arrays.copyOf(to, n);
            mask = Arrays.copyOf(mask, n);
            exercised = Arrays.copyOf(exercised, n);
            witness = Arrays.copyOf(witness, n);
            witnessTask = Arrays.copyOf(witnessTask, n);
            nextAddr = Arrays.copyOf(nextAddr, n);
            prevAddr = Arrays.copyOf(prevAddr, n);
            reads = Arrays.copyOf(reads, n);
            distance = Arrays.copyOf(distance, n);
            might = Arrays.copyOf(might, n);
            tasksOf = Arrays.copyOf(tasksOf, n);
            moreTasks = Arrays.copyOf(moreTasks, n);
            lastTask = Arrays.copyOf(lastTask, n);
            taskIds = Arrays.copyOf(taskIds, n);
            taskKeys = Arrays.copyOf(taskKeys, n * MAX_WITNESSES);
            witnesses = Arrays.copyOf(witnesses, n * MAX_WITNESSES);
            witnessCount = Arrays.copyOf(witnessCount, n);
        }
        from[e] = prev;
        to[e] = next;
        witness[e] = w;
        witnessTask[e] = (int) taskKey;
        nextAddr[e] = nextAddress;
        prevAddr[e] = prevAddress;
        reads[e] = (byte) (prevRead << 2 | nextRead);
        distance[e] = Byte.MAX_VALUE;
        lastTask[e] = -1;
        taskKeys[e * MAX_WITNESSES] = taskKey;
        witnesses[e * MAX_WITNESSES] = w;
        witnessCount[e] = 1;
        byPair.put(((long) prev << 32) | (next & 0xffffffffL), e);
        return e;
    }

    void addType(int e, int type) {
        mask[e] |= 1 << type;
    }

    /**
     * lockdep's {@code lock_list.distance}: how many held entries below {@code next} prev was
     * (1 = directly below; more when the walk passed trylocks or check=0 locks). /proc/lockdep
     * prints only the distance-1 dependencies.
     */
    void distance(int e, int d) {
        if (d < distance[e]) {
            distance[e] = (byte) Math.min(d, Byte.MAX_VALUE);
        }
    }

    private static final int TASKS_KEPT = 4;

    private int[][] taskIds = new int[1024][];

    /**
     * Records that task {@code taskId} exercised edge e; returns true when it is a new task the
     * caller should name with {@link #nameTask}. The first {@value #TASKS_KEPT} distinct tasks are
     * kept; no allocation once they are known.
     */
    boolean exercisedBy(int e, int taskId) {
        lastTask[e] = taskId;
        if (moreTasks[e]) {
            return false;
        }
        int[] ids = taskIds[e];
        if (ids == null) {
            ids = new int[TASKS_KEPT];
            Arrays.fill(ids, -1);
            taskIds[e] = ids;
            tasksOf[e] = new String[TASKS_KEPT];
        }
        for (int i = 0; i < TASKS_KEPT; i++) {
            if (ids[i] == taskId) {
                return false;
            }
            if (ids[i] < 0) {
                ids[i] = taskId;
                return true;
            }
        }
        moreTasks[e] = true;
        return false;
    }

    void nameTask(int e, int taskId, String label) {
        int[] ids = taskIds[e];
        for (int i = 0; i < TASKS_KEPT; i++) {
            if (ids[i] == taskId) {
                tasksOf[e][i] = label;
            }
        }
    }

    /** The task index that last recorded an exercise (avoids a label per hit from the same task). */
    int lastTask(int e) {
        return lastTask[e];
    }

    /** The first distinct tasks that exercised the edge (comm-pid), in order of first use. */
    public java.util.List<String> tasks(int e) {
        String[] t = tasksOf[e];
        if (t == null) {
            return java.util.List.of();
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String x : t) {
            if (x != null) {
                out.add(x);
            }
        }
        return out;
    }

    /** More distinct tasks exercised the edge than {@link #tasks} lists. */
    public boolean moreTasks(int e) {
        return moreTasks[e];
    }

    /** Edges [from, to) were made by an acquisition released at once: might_lock()/__might_fault(). */
    void markMight(int from, int to) {
        for (int e = from; e < to; e++) {
            might[e] = true;
        }
    }

    /**
     * The edge's first witness was an annotation, not a hold: an acquire immediately released
     * (might_lock, or __might_fault's might_lock_read(&mm->mmap_lock) in copy_to/from_user).
     */
    public boolean might(int e) {
        return might[e];
    }

    public int distance(int e) {
        return distance[e];
    }

    /** Adds {@code n} exercises at once (merging a snapshot). */
    void exercise(int e, long n) {
        exercised[e] += n;
    }

    void exercise(int e) {
        exercised[e]++;
    }

    public int from(int e) {
        return from[e];
    }

    public int to(int e) {
        return to[e];
    }

    public int mask(int e) {
        return mask[e];
    }

    public long count(int e) {
        return exercised[e];
    }

    /**
     * Whether {@code taskKey} is a task this edge has no witness from yet and there is room for
     * one (then the caller builds the witness and calls {@link #addWitness}). Allocation-free.
     */
    boolean wantsWitness(int e, long taskKey) {
        int n = witnessCount[e];
        if (n == MAX_WITNESSES) {
            return false;
        }
        for (int i = e * MAX_WITNESSES, end = i + n; i < end; i++) {
            if (taskKeys[i] == taskKey) {
                return false;
            }
        }
        return true;
    }

    void addWitness(int e, long taskKey, Witness w) {
        int i = e * MAX_WITNESSES + witnessCount[e]++;
        taskKeys[i] = taskKey;
        witnesses[i] = w;
    }

    /** The recorded witnesses of edge e, oldest first (the first is {@link #witness}). */
    public java.util.List<Witness> witnesses(int e) {
        int from = e * MAX_WITNESSES;
        return java.util.List.of(Arrays.copyOfRange(witnesses, from, from + witnessCount[e]));
    }

    public Witness witness(int e) {
        return witness[e];
    }

    /** The input ordinal (0 = the first input of the run) of the first witness. */
    public int witnessInput(int e) {
        return (int) (taskKeys[e * MAX_WITNESSES] >> 32);
    }

    /** The task index of the first witness. */
    public int witnessTask(int e) {
        return witnessTask[e];
    }

    /** lockdep read state of {@code prev} at the first witness. */
    public int prevRead(int e) {
        return reads[e] >> 2;
    }

    /** lockdep read state of {@code next} at the first witness. */
    public int nextRead(int e) {
        return reads[e] & 3;
    }

    /** The instance address of {@code prev} at the first witness. */
    public long prevAddress(int e) {
        return prevAddr[e];
    }

    /** The instance address of {@code next} at the first witness. */
    public long nextAddress(int e) {
        return nextAddr[e];
    }
}
