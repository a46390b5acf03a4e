package dev.lockscope.graph;

import dev.lockscope.model.ContentionFlags;
import dev.lockscope.model.Ctx;
import dev.lockscope.model.EventSink;
import dev.lockscope.model.HeldLock;
import dev.lockscope.model.StackSource;
import dev.lockscope.model.Tasks;
import dev.lockscope.model.Witness;
import dev.lockscope.util.ByteSymbols;
import dev.lockscope.util.LongIntMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The engine: lockdep's {@code __lock_acquire} / {@code __lock_release} over a trace.
 *
 * <p>Rules, as in kernel/locking/lockdep.c (6.1):
 * <ul>
 *   <li>Each task has a held-lock stack of at most {@link #MAX_LOCK_DEPTH} entries; an entry
 *       records class, instance, read state, trylock and irq context. Events in NMI are not
 *       tracked.</li>
 *   <li>The chain key hashes the held classes (with read state) of the current irq-context
 *       segment; a lock that starts a segment is a chain head and makes no dependencies.</li>
 *   <li>Trylocks and {@code check=0} classes never validate. Any other acquisition looks its
 *       chain up; on a hit nothing is validated. On a miss: {@code check_deadlock} (same class
 *       already held, unless read-after-read with the new one recursive), then
 *       {@code check_prevs_add}: an edge from every consecutive trylock on top of the stack and
 *       from the first non-trylock below them, within the segment, skipping {@code check=0}
 *       entries.</li>
 *   <li>A release searches the stack from the top within the top's irq segment. Releasing a
 *       lock below the top re-acquires the locks above it, which can add dependencies.</li>
 * </ul>
 * What lockdep never needs and a trace does: releases whose acquire lies before the window are
 * counted, not reported; a release by another task removes the lock from its holder's stack; an
 * irq segment whose context has ended is discarded; a CPU that lost events has its tasks' stacks
 * discarded so that no dependency is built on what was missed.
 */
public final class GraphBuilder implements EventSink {
    public static final int MAX_LOCK_DEPTH = 48;
    private static final int HISTORY_BITS = 16;
    private static final int HISTORY_MASK = (1 << HISTORY_BITS) - 1;
    private static final int FLAGS_KNOWN = 0x80;
    /** A gfs2 glock class (the reader names them glock:&lt;type&gt;). */
    private static final int GLOCK = 0x10;
    /** The glock's own spinlock: held while a holder is queued, dropped before the holder waits. */
    private static final int GLOCK_SPIN = 0x20;

    private Tasks tasks;
    /** Input ordinal in the high half: tasks of different inputs are different witnesses. */
    private long inputKey = -1L << 32;
    private final ByteSymbols classes;
    private final ClassRules rules;
    private final ChainCache chains = new ChainCache();
    private final DependencyGraph graph = new DependencyGraph();
    private final EngineStats stats = new EngineStats();
    private final List<Observation> observations = new ArrayList<>();
    private final LongIntMap observationIndex = new LongIntMap(64);

    private byte[] classFlags = new byte[512];
    private int[] usage = new int[512];
    /** Per class, the acquisitions absorbed snapshots carried (the trace's own are lock_stat's). */
    private long[] absorbedAcquisitions = new long[512];
    private HeldStack[] stacks = new HeldStack[256];

    /**
     * Direct-mapped memory of the last acquire/release of each address (fixed size), four
     * contiguous longs a slot: the address; the acquire line with the read state in the top byte
     * (2 also for unvalidated locks); the release line (0: not released); the holder task (low
     * half) and the releasing task (high half).
     */
    private final long[] hist = new long[4 << HISTORY_BITS];
    private static final int HIST_ACQUIRE = 1;
    private static final int HIST_RELEASE = 2;
    private static final int HIST_TASKS = 3;
    private static final int HIST_READ_SHIFT = 56;

    private StackSource stackSource = StackSource.NONE;
    private java.util.function.LongFunction<String> symbols = a -> null;
    private boolean[] unnamedClass = new boolean[512];
    /** Classes lock_stat instruments: some acquisition of them was followed by lock_acquired. */
    private boolean[] grantedClass = new boolean[512];
    private final Contention contention = new Contention();
    private final LockStats lockStats = new LockStats();
    /** What the witnesses of each edge share, and when each task was alive, for the feasibility checks. */
    private final EdgeEvidence evidence = new EdgeEvidence(c -> (flags(c) & ClassRules.NOVALIDATE) == 0);
    private final ThreadOrder order = new ThreadOrder();
    /** Tasks of earlier inputs: evidence and thread order number tasks globally. */
    private int taskBase;

    /** Scratch for re-acquiring the locks above an out-of-order release. */
    private final HeldStack scratch = new HeldStack();

    public GraphBuilder(Tasks tasks, ByteSymbols classes, ClassRules rules) {
        this.tasks = tasks;
        this.classes = classes;
        this.rules = rules;
    }

    /**
     * Starts another input: its pids are a new task namespace (another boot or host), so held
     * stacks start empty; classes, dependencies and chains carry over.
     */
    public void startInput(Tasks inputTasks, StackSource inputStacks) {
        taskBase += this.tasks.size();
        this.tasks = inputTasks;
        this.stackSource = inputStacks;
        this.inputKey += 1L << 32;
        Arrays.fill(stacks, null);
        Arrays.fill(hist, 0L);
    }

    // ---------------------------------------------------------------- events

    @Override
    public void acquire(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls, boolean trylock,
                        boolean read) {
        stats.acquires++;
        if (trylock) {
            stats.trylocks++;
        }
        HeldStack s = enter(task, cpu, ctx);
        if (s == null) {
            return;
        }
        int irq = ctx & Ctx.IRQ_MASK;
        int f = flags(cls);
        // ftrace prints "read" for read=1 and read=2 alike. Recursive: classes the rules say are
        // (seqcounts, ...), and any read taken in interrupt or BH-disabled context, where only
        // rwlock_t readers can be and read_lock_is_recursive() is true (in_interrupt()).
        int r = !read ? 0 : ((f & ClassRules.RECURSIVE_READ) != 0 || irq != 0 || (ctx & Ctx.SOFTIRQS_OFF) != 0) ? 2 : 1;
        boolean check = (f & ClassRules.NOVALIDATE) == 0;
        if ((ctx & Ctx.KNOWN) != 0) {
            // the usage bits depend on the context, read and trylock only (check is the class's):
            // the same as this class's last marked acquisition sets nothing new
            int use = ctx | r << 24 | (trylock ? 1 << 26 : 0);
            if (lastUse[cls] != use) {
                pendingTask = task;
                pendingCpu = cpu;
                pendingTime = timeNs;
                pendingLine = line;
                markUsage(cls, ctx, r, trylock, check);
                lastUse[cls] = use;
            }
        }
        int h = slot(addr);
        hist[h] = addr;
        hist[h + HIST_ACQUIRE] = line | (long) (check ? r : 2) << HIST_READ_SHIFT;
        hist[h + HIST_RELEASE] = 0;
        hist[h + HIST_TASKS] = task & 0xffffffffL;
        int edgesBefore = graph.size();
        lockStats.acquired(cls, r != 0);
        lockStats.time(timeNs);
        // lockdep's push, then validate_chain, called from here rather than through a method
        // shared with releaseBelowTop: C2 inlines a hot callee only while its own compiled code is
        // small, and such a method, compiled on its own first, was inlined here in some JVMs and a
        // call in others (README, Performance)
        int d = s.depth;
        if (d == MAX_LOCK_DEPTH) {
            depthOverflow(s, task, cpu, timeNs, line, addr, cls, r);
        } else {
            boolean head = pushEntry(s, d, timeNs, line, addr, h, cls, trylock, r, irq);
            if (!trylock && check) {
                validateChain(s, task, cpu, timeNs, line, d, head, false);
            }
        }
        s.awaitCls = trylock ? -1 : cls;
        s.mightAddr = addr;
        s.mightFrom = edgesBefore;
        s.mightTo = graph.size();
    }

    @Override
    public void release(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls) {
        stats.releases++;
        HeldStack s = enter(task, cpu, ctx);
        if (s == null) {
            return;
        }
        if (s.mightAddr == addr && s.mightTo > s.mightFrom) {
            // released right after it was acquired: a might_lock()/__might_fault() annotation
            graph.markMight(s.mightFrom, s.mightTo);
        }
        s.mightTo = s.mightFrom;
        s.awaitCls = -1;
        if (s.contendedAddr == addr) {
            s.contendedCls = -1;
        }
        int i = findHeld(s, addr, cls);
        if (i < 0) {
            releaseUnheld(task, s, cpu, timeNs, line, addr, cls);
            return;
        }
        int h = s.histSlot(i);
        if (hist[h] == addr) {
            released(h, line, task);
        }
        removeAt(task, s, i, cpu, timeNs, line);
    }

    @Override
    public void contended(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls) {
        stats.contended++;
        HeldStack s = enter(task, cpu, ctx);
        if (s != null) {
            s.mightTo = s.mightFrom;
            s.contendedCls = cls;
            s.contendedAddr = addr;
            int j = s.findAnywhere(addr);
            if (j >= 0) {
                s.contendTs(j, timeNs);
                lockStats.contended(s.cls(j), s.read(j) != 0, tasks.label(task));
            }
        }
    }

    @Override
    public void acquired(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls) {
        stats.acquired++;
        if (cls >= grantedClass.length) {
            grantedClass = Arrays.copyOf(grantedClass, Math.max(cls + 1, grantedClass.length * 2));
        }
        grantedClass[cls] = true;
        HeldStack s = enter(task, cpu, ctx);
        if (s != null) {
            s.mightTo = s.mightFrom;
            s.awaitCls = -1;
            if (s.contendedAddr == addr) {
                s.contendedCls = -1;
            }
            int j = s.findAnywhere(addr);
            if (j >= 0) {
                if (s.contendTs(j) != 0) {
                    lockStats.waited(s.cls(j), s.read(j) != 0, Math.max(0, timeNs - s.contendTs(j)));
                    s.contendTs(j, 0);
                }
                // the grant: lock_stat's stamp is taken just before it (after any interrupt that
                // arrived between the lock_acquire tracepoint and lockdep's own work)
                s.holdStart(j, timeNs);
            }
        }
    }

    @Override
    public void contentionBegin(int task, int cpu, int ctx, long timeNs, long line, long addr, int flags,
                                int nameHint) {
        contention.begins++;
        HeldStack s = enter(task, cpu, ctx);
        if (s == null) {
            return;
        }
        // the lock this task is acquiring: a rwsem's slow path takes its wait_lock between
        // lock_contended and contention_begin, a mutex spins before lock_contended
        int cls = nameHint >= 0 ? nameHint : s.contendedCls >= 0 ? s.contendedCls : s.awaitCls;
        if (cls >= 0) {
            if (contention.classFor(addr) != cls) {
                contention.name(addr, cls);
                contention.namedByTrace++;
            }
        } else {
            cls = contention.classFor(addr);
            if (cls < 0) {
                String sym = symbols.apply(addr);
                if (sym != null) {
                    cls = classes.intern(sym);
                    contention.namedBySymbol++;
                } else {
                    cls = classes.intern("(unnamed " + ContentionFlags.lockType(flags) + " " + Long.toHexString(addr) + ")");
                    contention.unnamed++;
                }
                contention.name(addr, cls);
                flags(cls);
                unnamed(cls, sym == null);
            }
        }
        s.contAddr = addr;
        s.contCls = cls;
        s.contStart = timeNs;
    }

    @Override
    public void contentionEnd(int task, int cpu, int ctx, long timeNs, long line, long addr) {
        contention.ends++;
        HeldStack s = enter(task, cpu, ctx);
        if (s == null) {
            return;
        }
        if (s.contAddr == addr && s.contCls >= 0) {
            contention.waited(s.contCls, Math.max(0, timeNs - s.contStart));
            s.contAddr = 0;
            s.contCls = -1;
        } else {
            contention.unmatchedEnds++;
        }
    }

    /**
     * A remote node asks for a glock: every local holder of that glock instance now delays the
     * other node, and new local holders queue behind the demote. Reported with the holder's
     * held-lock stack, since a holder that then waits for something the remote side holds
     * (e.g. a page fault needing the same glock) is the seed-000 deadlock.
     */
    @Override
    public void remoteDemote(int task, int cpu, int ctx, long timeNs, long line, long addr, int cls) {
        stats.remoteDemotes++;
        for (int t = 0; t < stacks.length; t++) {
            HeldStack hs = stacks[t];
            int j = hs == null ? -1 : hs.findAnywhere(addr);
            if (j >= 0) {
                if (!seenBefore(Observation.Kind.REMOTE_DEMOTE, hs.read(j), hs, cls, hs.read(j), hs.depth)) {
                    observe(Observation.Kind.REMOTE_DEMOTE, hs.read(j), hs, t, hs.lastCpu, timeNs, line, addr, cls,
                            hs.read(j), hs.depth, heldLock(hs, j), 0);
                }
                return;
            }
        }
        stats.remoteDemotesUnheld++;
    }

    @Override
    public void lostEvents(int cpu, long count, long line) {
        stats.lostMarkers++;
        stats.lostEvents += count;
        for (HeldStack s : stacks) {
            if (s != null && s.lastCpu == cpu && s.depth > 0) {
                stats.lostDiscarded += s.depth;
                stats.lostTaskResets++;
                s.reset();
            }
        }
    }

    @Override
    public void fork(int parent, int child, long timeNs, long line) {
        order.fork(taskBase + parent, taskBase + child, timeNs);
        evidence.fork(taskBase + child, stack(parent));
    }

    @Override
    public void join(int parent, int child, long timeNs, long line) {
        order.join(taskBase + parent, taskBase + child, timeNs);
        evidence.join(taskBase + child, stack(parent));
    }

    /**
     * The task's stack for an event in context {@code ctx}, with the locks of irq contexts that
     * have ended discarded; null in NMI, where lockdep does not track locks.
     */
    private HeldStack enter(int task, int cpu, int ctx) {
        if ((ctx & Ctx.NMI) != 0) {
            stats.nmiEvents++;
            return null;
        }
        HeldStack s = stack(task);
        s.lastCpu = cpu;
        if (s.depth > 0 && s.irq(s.depth - 1) != (ctx & Ctx.IRQ_MASK)) {
            dropEndedIrq(s, ctx & Ctx.IRQ_MASK);
        }
        return s;
    }

    // ---------------------------------------------------------------- lockdep's acquire path

    /**
     * {@code __lock_acquire} from the push on: writes held entry d (below the depth limit), held
     * from now with no lock_contended pending, and the chain key after it; true if the entry
     * heads its irq segment's chain (lockdep's chain head: nothing below it to depend on).
     */
    private boolean pushEntry(HeldStack s, int d, long timeNs, long entryLine, long addr, int histSlot, int cls,
                              boolean trylock, int read, int irq) {
        long key = d == 0 ? ChainKey.INITIAL : s.chainKey;
        boolean head = d == 0;
        long prevKey = key;
        if (d > 0 && s.irq(d - 1) != irq) {
            key = ChainKey.INITIAL;
            head = true;
        }
        key = ChainKey.iterate(key, ChainKey.hlockId(cls, read));
        s.set(d, prevKey, cls, read, trylock, irq, addr, histSlot, entryLine, timeNs);
        s.depth = d + 1;
        s.chainKey = key;
        if (d + 1 > stats.maxDepth) {
            stats.maxDepth = d + 1;
        }
        return head;
    }

    /** More than MAX_LOCK_DEPTH locks held: lockdep's "BUG: MAX_LOCK_DEPTH too low!"; the lock is not tracked. */
    private void depthOverflow(HeldStack s, int task, int cpu, long timeNs, long line, long addr, int cls, int read) {
        stats.depthOverflows++;
        int d = s.depth;
        if (!seenBefore(Observation.Kind.DEPTH_OVERFLOW, 0, s, cls, read, d)) {
            observe(Observation.Kind.DEPTH_OVERFLOW, 0, s, task, cpu, timeNs, line, addr, cls, read, d, null, 0);
        }
    }

    /** {@code validate_chain} for the entry just pushed at idx: only a chain never seen before is checked. */
    private void validateChain(HeldStack s, int task, int cpu, long timeNs, long line, int idx, boolean head,
                               boolean reacquire) {
        long key = s.chainKey;
        int c = chains.find(key);
        if (c < 0) {
            validateNewChain(s, task, cpu, timeNs, line, idx, key, head, reacquire);
            return;
        }
        stats.chainHits++;
        // A hit exercises the chain's dependencies again: counted per chain, and added to them
        // when the graph is read (graph()). A task among the last few that hit this chain did
        // every per-task step for its edges already (naming, witness, multi-task flag); only the
        // gate sets depend on the instances held.
        if (chains.hitBy(c, inputKey | task)) {
            firstHitByTask(c, s, task, cpu, timeNs, line, idx, reacquire);
        } else if ((chains.flags(c) & (ChainCache.UNGATED | ChainCache.HAS_RECURSION)) != ChainCache.UNGATED) {
            repeatedHit(c, s, task, cpu, timeNs, line, idx);
        }
    }

    /** A repeated hit of a chain with gate candidates left or a same-class acquisition: narrow the gates, check the recursion again. */
    private void repeatedHit(int c, HeldStack s, int task, int cpu, long timeNs, long line, int idx) {
        if ((chains.flags(c) & ChainCache.UNGATED) == 0) {
            narrowGates(c, s, task, idx);
        }
        if ((chains.flags(c) & ChainCache.HAS_RECURSION) != 0) {
            checkDeadlock(s, task, cpu, timeNs, line, idx);
        }
    }

    /** A hit by a task that has not hit the chain lately: the per-task steps for its edges (naming, witness, multi-task). */
    private void firstHitByTask(int c, HeldStack s, int task, int cpu, long timeNs, long line, int idx,
                                boolean reacquire) {
        Witness w = null;
        for (int i = 0, n = chains.edgeCount(c); i < n; i++) {
            int e = chains.edge(c, i);
            if (graph.lastTask(e) != task && graph.exercisedBy(e, task)) {
                graph.nameTask(e, task, tasks.label(task));
            }
            if (graph.wantsWitness(e, inputKey | task)) {
                if (w == null) {
                    w = witness(s, task, cpu, timeNs, line, idx, reacquire);
                }
                graph.addWitness(e, inputKey | task, w);
            }
            evidence.hit(e, evidenceTask(task), s, idx, graph.from(e));
        }
        if ((chains.flags(c) & ChainCache.HAS_RECURSION) != 0) {
            checkDeadlock(s, task, cpu, timeNs, line, idx);
        }
    }

    /** A repeated hit by a task that hit the chain lately: only the gate candidates depend on the instances held; flags the chain once none are left. */
    private void narrowGates(int c, HeldStack s, int task, int idx) {
        boolean gated = false;
        for (int i = 0, n = chains.edgeCount(c); i < n; i++) {
            int e = chains.edge(c, i);
            if (evidence.gated(e)) {
                gated = true;
                evidence.hit(e, evidenceTask(task), s, idx, graph.from(e));
            }
        }
        if (!gated) {
            chains.flag(c, ChainCache.UNGATED);
        }
    }

    /** A chain never seen before: record it, then check_deadlock and check_prevs_add. */
    private void validateNewChain(HeldStack s, int task, int cpu, long timeNs, long line, int idx, long key,
                                  boolean head, boolean reacquire) {
        stats.chainMisses++;
        int segStart = idx;
        while (segStart > 0 && s.irq(segStart - 1) == s.irq(idx)) {
            segStart--;
        }
        int c = chains.add(key, s.irq(idx), s, segStart, idx + 1);
        Observation.Kind found = checkDeadlock(s, task, cpu, timeNs, line, idx);
        if (found != null) {
            chains.flag(c, ChainCache.HAS_RECURSION);
        }
        // lockdep stops validating at a recursion; a nested acquisition of another instance of
        // the class still orders it after the locks below, so those edges are kept.
        if (!head && found != Observation.Kind.RECURSIVE) {
            checkPrevsAdd(s, task, cpu, timeNs, line, idx, c, reacquire);
        }
    }

    /**
     * {@code check_deadlock}: the new lock's class is already held. Allowed when the new
     * acquisition is a recursive read and the held one is a read. Returns what was found.
     */
    private Observation.Kind checkDeadlock(HeldStack s, int task, int cpu, long timeNs, long line, int idx) {
        int cls = s.cls(idx);
        for (int i = 0; i < idx; i++) {
            if (s.cls(i) != cls) {
                continue;
            }
            if (s.read(idx) == 2 && s.read(i) != 0) {
                continue;
            }
            Observation.Kind kind = s.addr(i) == s.addr(idx) ? Observation.Kind.RECURSIVE : Observation.Kind.NESTED_CLASS;
            if (!seenBefore(kind, s.read(i), s, cls, s.read(idx), idx)) {
                observe(kind, s.read(i), s, task, cpu, timeNs, line, s.addr(idx), cls, s.read(idx), idx, heldLock(s, i), 0);
            }
            return kind;
        }
        return null;
    }

    /**
     * {@code check_prevs_add}: from the top of the stack down, within the irq segment, add
     * prev -> next for each validated held lock; stop after the first non-trylock one.
     */
    private void checkPrevsAdd(HeldStack s, int task, int cpu, long timeNs, long line, int idx, int chain,
                               boolean reacquire) {
        boolean glock = (flags(s.cls(idx)) & GLOCK) != 0;
        for (int i = idx - 1; i >= 0; i--) {
            if (s.irq(i) != s.irq(i + 1)) {
                break;
            }
            int f = flags(s.cls(i));
            // gfs2 queues a holder under the glock's spinlock and waits for the grant after
            // dropping it: the spinlock is not held across the glock wait, so it orders nothing
            if ((f & ClassRules.NOVALIDATE) == 0 && !(glock && (f & GLOCK_SPIN) != 0)) {
                checkPrevAdd(s, task, cpu, timeNs, line, i, idx, chain, reacquire);
                if (!s.trylock(i)) {
                    break;
                }
            }
        }
    }

    /**
     * {@code check_prev_add}: record prev -> next, or OR the new dependency type into the
     * existing edge. Same-class pairs were judged by check_deadlock and make no edge. The cycle
     * check lockdep does here is done once on the final graph instead (all cycles, not the first).
     */
    private void checkPrevAdd(HeldStack s, int task, int cpu, long timeNs, long line, int i, int idx, int chain,
                              boolean reacquire) {
        int prev = s.cls(i);
        int next = s.cls(idx);
        if (prev == next) {
            return;
        }
        int e = graph.find(prev, next);
        boolean isNew = e < 0;
        if (isNew) {
            e = graph.add(prev, next, witness(s, task, cpu, timeNs, line, idx, reacquire), inputKey | task, s.addr(i),
                    s.addr(idx), s.read(i), s.read(idx));
        } else if (graph.wantsWitness(e, inputKey | task)) {
            graph.addWitness(e, inputKey | task, witness(s, task, cpu, timeNs, line, idx, reacquire));
        }
        graph.addType(e, DependencyGraph.depType(s.read(i), s.read(idx)));
        graph.distance(e, idx - i);
        graph.exercise(e);
        if (graph.lastTask(e) != task && graph.exercisedBy(e, task)) {
            graph.nameTask(e, task, tasks.label(task));
        }
        evidence.made(e, isNew, evidenceTask(task), s, i, idx);
        chains.addEdge(chain, e);
    }

    // ---------------------------------------------------------------- release path

    /** {@code find_held_lock}: top down, never leaving the top entry's irq segment. */
    private static int findHeld(HeldStack s, long addr, int cls) {
        if (s.depth == 0) {
            return -1;
        }
        int seg = s.irq(s.depth - 1);
        for (int i = s.depth - 1; i >= 0; i--) {
            if (s.irq(i) != seg) {
                return -1;
            }
            if (s.addr(i) == addr && (addr != 0 || s.cls(i) == cls)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code __lock_release}: pop, rewinding the chain key; below the top, re-acquire what was above. */
    private void removeAt(int task, HeldStack s, int i, int cpu, long timeNs, long line) {
        lockStats.held(s.cls(i), s.read(i) != 0, Math.max(0, timeNs - s.holdStart(i)));
        lockStats.time(timeNs);
        int top = s.depth - 1;
        if (i == top) {
            s.depth = top;
            s.chainKey = s.prevKey(top);
            return;
        }
        releaseBelowTop(task, s, i, cpu, timeNs, line);
    }

    /** The released lock i is below the top: pop to it, then acquire again what was above (with their history slots). */
    private void releaseBelowTop(int task, HeldStack s, int i, int cpu, long timeNs, long line) {
        int top = s.depth - 1;
        stats.outOfOrderReleases++;
        // reacquire_held_locks() runs __lock_acquire() again: lock_stat's hold stamps of the locks
        // above restart here, and lockscope's hold times follow the kernel's
        int n = top - i;
        scratch.copyFrom(s, i + 1, n);
        s.depth = i;
        s.chainKey = s.prevKey(i);
        // one fewer lock is held than before, so the depth limit is never reached here
        for (int j = 0; j < n; j++) {
            stats.reacquired++;
            int d = s.depth;
            int cls = scratch.cls(j);
            boolean trylock = scratch.trylock(j);
            boolean head = pushEntry(s, d, timeNs, scratch.line(j), scratch.addr(j), scratch.histSlot(j), cls, trylock,
                    scratch.read(j), scratch.irq(j));
            if (!trylock && (flags(cls) & ClassRules.NOVALIDATE) == 0) {
                validateChain(s, task, cpu, timeNs, line, d, head, true);
            }
        }
    }

    /** A release of a lock this task's stack does not show held: hand-off, discarded hold, double unlock, or pre-window. */
    private void releaseUnheld(int task, HeldStack s, int cpu, long timeNs, long line, long addr, int cls) {
        int h = slot(addr);
        if (addr != 0 && hist[h] == addr) {
            if (hist[h + HIST_RELEASE] == 0) {
                int holder = (int) hist[h + HIST_TASKS];
                HeldStack hs = stacks[holder];
                int j = hs == null ? -1 : hs.findAnywhere(addr);
                released(h, line, task);
                if (j >= 0) {
                    stats.crossTaskReleases++;
                    removeAt(holder, hs, j, cpu, timeNs, line);
                } else {
                    stats.releasesOfDiscarded++;
                }
                return;
            }
            // Only an exclusive hold proves the double unlock: a read or unvalidated lock
            // (rcu_read_lock) can be held again by the same task since before the window.
            long tasksOf = hist[h + HIST_TASKS];
            long acquired = hist[h + HIST_ACQUIRE];
            if ((int) tasksOf == task && (int) (tasksOf >>> 32) == task && acquired >>> HIST_READ_SHIFT == 0) {
                if (!seenBefore(Observation.Kind.UNBALANCED, 0, s, cls, 0, s.depth)) {
                    HeldLock prior = new HeldLock(classes.name(cls), addr, 0, false, 0, acquired);
                    observe(Observation.Kind.UNBALANCED, 0, s, task, cpu, timeNs, line, addr, cls, 0, s.depth, prior,
                            hist[h + HIST_RELEASE]);
                }
                return;
            }
        }
        stats.releasesBeforeWindow++;
        lockStats.heldBeforeWindow(cls);
    }

    /** Discards held locks of irq contexts that have ended: a segment stays only while its context encloses the current one. */
    private void dropEndedIrq(HeldStack s, int irq) {
        while (s.depth > 0) {
            int top = s.irq(s.depth - 1);
            if (top == irq || top == Ctx.PROCESS || (top == Ctx.SOFTIRQ && irq == Ctx.HARDIRQ_IN_SOFTIRQ)) {
                return;
            }
            stats.irqLeftovers++;
            s.depth--;
            s.chainKey = s.prevKey(s.depth);
        }
    }

    // ---------------------------------------------------------------- usage bits

    /** {@code mark_usage}: irq-context use and irq-enabled use, per class. */
    private void markUsage(int cls, int ctx, int read, boolean trylock, boolean check) {
        int bits = Usage.USED | Usage.KNOWN;
        if (check) {
            if (!trylock) {
                if ((ctx & Ctx.HARDIRQ) != 0) {
                    bits |= read != 0 ? Usage.USED_IN_HARDIRQ_READ : Usage.USED_IN_HARDIRQ;
                }
                if ((ctx & Ctx.SOFTIRQ) != 0) {
                    bits |= read != 0 ? Usage.USED_IN_SOFTIRQ_READ : Usage.USED_IN_SOFTIRQ;
                }
            }
            if ((ctx & Ctx.HARDIRQS_OFF) == 0) {
                bits |= read != 0 ? Usage.ENABLED_HARDIRQ_READ : Usage.ENABLED_HARDIRQ;
                if ((ctx & (Ctx.SOFTIRQS_OFF | Ctx.SOFTIRQ)) == 0) {
                    bits |= read != 0 ? Usage.ENABLED_SOFTIRQ_READ : Usage.ENABLED_SOFTIRQ;
                }
            }
        }
        int fresh = bits & ~usage[cls] & 0xff;
        usage[cls] |= bits;
        if (fresh != 0) {
            firstUse(cls, fresh);
        }
    }

    /** Per class, the context, read and trylock of its last acquisition marked (0: none; KNOWN is always set in one). */
    private int[] lastUse = new int[512];

    /** Per class and usage bit (0..7), the event that first set it: task, cpu, time, line. */
    private String[] useComm = new String[512 * 8];
    private int[] usePid = new int[512 * 8];
    private int[] useCpu = new int[512 * 8];
    private long[] useTime = new long[512 * 8];
    private long[] useLine = new long[512 * 8];
    private int pendingTask;
    private int pendingCpu;
    private long pendingTime;
    private long pendingLine;

    private void firstUse(int cls, int fresh) {
        growUse(cls);
        for (int bit = 0; bit < 8; bit++) {
            if ((fresh & (1 << bit)) != 0) {
                int i = cls * 8 + bit;
                useComm[i] = tasks.comm(pendingTask);
                usePid[i] = tasks.pid(pendingTask);
                useCpu[i] = pendingCpu;
                useTime[i] = pendingTime;
                useLine[i] = pendingLine;
            }
        }
    }

    private void growUse(int cls) {
        int need = (cls + 1) * 8;
        if (need > useLine.length) {
            int n = Math.max(need, useLine.length * 2);
            useComm = Arrays.copyOf(useComm, n);
            usePid = Arrays.copyOf(usePid, n);
            useCpu = Arrays.copyOf(useCpu, n);
            useTime = Arrays.copyOf(useTime, n);
            useLine = Arrays.copyOf(useLine, n);
        }
    }

    /** The acquisition that first set usage bit {@code bit} (0..7, see Usage) of a class, or null. */
    public Witness usageWitness(int cls, int bit) {
        if ((usage(cls) & (1 << bit)) == 0 || (cls + 1) * 8 > useLine.length) {
            return null;
        }
        int i = cls * 8 + bit;
        return new Witness(useComm[i], usePid[i], useCpu[i], useTime[i], useLine[i], 0,
                List.of(), false, List.of());
    }

    // ---------------------------------------------------------------- witnesses and observations

    private Witness witness(HeldStack s, int task, int cpu, long timeNs, long line, int idx, boolean reacquire) {
        List<HeldLock> held = new ArrayList<>(idx);
        for (int i = 0; i < idx; i++) {
            held.add(heldLock(s, i));
        }
        return new Witness(tasks.comm(task), tasks.pid(task), cpu, timeNs, line, idx < s.depth ? s.addr(idx) : 0,
                Collections.unmodifiableList(held), reacquire, stackSource.stackAt(line));
    }

    private HeldLock heldLock(HeldStack s, int i) {
        return new HeldLock(classes.name(s.cls(i)), s.addr(i), s.read(i), s.trylock(i), s.irq(i), s.line(i));
    }

    /**
     * An observation is one per kind, class, read states and irq context: a repeat only counts,
     * and is told apart here before anything is built for it (a recursive chain repeats on every hit).
     */
    private static long observationKey(Observation.Kind kind, int priorRead, HeldStack s, int cls, int read, int depth) {
        return ((long) kind.ordinal() << 60) | ((long) priorRead << 56) | ((long) read << 52)
                | ((long) (depth < s.depth ? s.irq(depth) : 0) << 48)
                | (kind == Observation.Kind.DEPTH_OVERFLOW ? 0 : cls & 0xffffffffL);
    }

    /** Counts a repeat of a recorded observation; false when this is its first occurrence (then {@link #observe}). */
    private boolean seenBefore(Observation.Kind kind, int priorRead, HeldStack s, int cls, int read, int depth) {
        int o = observationIndex.get(observationKey(kind, priorRead, s, cls, read, depth));
        if (o < 0) {
            return false;
        }
        observations.get(o).count++;
        return true;
    }

    /** Records the first occurrence of an observation, with its witness. */
    private void observe(Observation.Kind kind, int priorRead, HeldStack s, int task, int cpu, long timeNs, long line,
                         long addr, int cls, int read, int depth, HeldLock prior, long earlierRelease) {
        long key = observationKey(kind, priorRead, s, cls, read, depth);
        List<HeldLock> held = new ArrayList<>();
        for (int i = 0; i < Math.min(depth, s.depth); i++) {
            held.add(heldLock(s, i));
        }
        Witness w = new Witness(tasks.comm(task), tasks.pid(task), cpu, timeNs, line, addr,
                Collections.unmodifiableList(held), false, stackSource.stackAt(line));
        observationIndex.put(key, observations.size());
        observations.add(new Observation(kind, Long.toHexString(key), classes.name(cls), prior, read, w, earlierRelease));
    }

    // ---------------------------------------------------------------- helpers

    // stack() and flags() run for every event: each is small enough for C1 to inline, and the
    // rare work (a new task, a new class) is a call of its own.
    private HeldStack stack(int task) {
        HeldStack s = task < stacks.length ? stacks[task] : null;
        return s != null ? s : newStack(task);
    }

    private HeldStack newStack(int task) {
        if (task >= stacks.length) {
            stacks = Arrays.copyOf(stacks, Math.max(task + 1, stacks.length * 2));
        }
        HeldStack s = new HeldStack();
        stacks[task] = s;
        return s;
    }

    private int flags(int cls) {
        int f = cls < classFlags.length ? classFlags[cls] : 0;
        return (f & FLAGS_KNOWN) != 0 ? f & ~FLAGS_KNOWN : classify(cls);
    }

    private int classify(int cls) {
        if (cls >= classFlags.length) {
            int n = Math.max(cls + 1, classFlags.length * 2);
            classFlags = Arrays.copyOf(classFlags, n);
            usage = Arrays.copyOf(usage, n);
            absorbedAcquisitions = Arrays.copyOf(absorbedAcquisitions, n);
            lastUse = Arrays.copyOf(lastUse, n);
        }
        String name = classes.name(cls);
        int f = rules.flagsFor(name) | FLAGS_KNOWN | (name.startsWith("glock:") ? GLOCK : 0)
                | (name.equals("&gl->gl_lockref.lock") ? GLOCK_SPIN : 0);
        classFlags[cls] = (byte) f;
        return f & ~FLAGS_KNOWN;
    }

    /** Records in history slot h that the lock was released at line by task. */
    private void released(int h, long line, int task) {
        hist[h + HIST_RELEASE] = line;
        hist[h + HIST_TASKS] = (hist[h + HIST_TASKS] & 0xffffffffL) | (long) task << 32;
    }

    /** The first of the four longs of addr's slot in {@link #hist}. */
    private static int slot(long addr) {
        return (LongIntMap.mix(addr) & HISTORY_MASK) << 2;
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * Adds a graph snapshot as one more input (see ClassGraph, MergeClassGraphs for the rules):
     * classes, usage bits, acquisitions, dependencies with types, counts, distances and first
     * witnesses, and observations. Snapshots carry no held stacks, chains' edges or usage
     * witnesses: a usage bit first set by a snapshot is witnessed as line 0 of that snapshot.
     */
    public void absorb(ClassGraph g, String input) {
        startInput(new Tasks(), StackSource.NONE);
        g.classes().forEach((name, info) -> {
            int c = classes.intern(name);
            flags(c);
            int fresh = info.usage() & ~usage[c] & 0xff;
            usage[c] |= info.usage();
            absorbedAcquisitions[c] += info.acquisitions();
            growUse(c);
            for (int bit = 0; bit < 8; bit++) {
                if ((fresh & (1 << bit)) != 0) {
                    useComm[c * 8 + bit] = "(snapshot " + input + ")";
                    usePid[c * 8 + bit] = 0;
                    useCpu[c * 8 + bit] = 0;
                    useTime[c * 8 + bit] = 0;
                    useLine[c * 8 + bit] = 0;
                }
            }
        });
        for (ClassGraph.Edge e : g.edges().values()) {
            int from = classes.intern(e.from());
            int to = classes.intern(e.to());
            int id = graph.find(from, to);
            Witness w = snapshotWitness(e.first());
            if (id < 0) {
                int read = Integer.numberOfTrailingZeros(e.mask());
                // read states that give the edge's first type (the inverse of DependencyGraph.depType)
                id = graph.add(from, to, w, inputKey, e.fromAddr(), e.toAddr(), (read & 1) == 0 ? 1 : 0,
                        (read & 2) == 0 ? 2 : 0);
            }
            for (int t = 0; t < 4; t++) {
                if ((e.mask() & (1 << t)) != 0) {
                    graph.addType(id, t);
                }
            }
            graph.distance(id, e.distance());
            graph.exercise(id, e.count());
        }
        for (ClassGraph.Obs o : g.observations().values()) {
            Observation.Kind kind = Observation.Kind.valueOf(o.kind().toUpperCase(java.util.Locale.ROOT));
            String key = "snapshot:" + o.identity();
            Observation have = null;
            for (Observation x : observations) {
                if (x.kind == kind && x.cls.equals(o.cls()) && x.read == o.read()
                        && (x.prior == null ? 0 : x.prior.read()) == o.priorRead()) {
                    have = x;
                }
            }
            if (have != null) {
                have.count += o.count();
                continue;
            }
            Witness w = snapshotWitness(o.first());
            Observation x = new Observation(kind, key, o.cls(), new HeldLock(o.cls(), 0, o.priorRead(), false, 0, 0),
                    o.read(), w, 0);
            x.count = o.count();
            observations.add(x);
        }
    }

    private static Witness snapshotWitness(ClassGraph.First f) {
        int dash = f.task().lastIndexOf('-');
        int pid = 0;
        String comm = f.task();
        if (dash > 0) {
            try {
                pid = Integer.parseInt(f.task().substring(dash + 1));
                comm = f.task().substring(0, dash);
            } catch (NumberFormatException e) {
                pid = 0;
            }
        }
        return new Witness(comm, pid, 0, f.timeNs(), f.line(), 0, List.of(), false, List.of());
    }

    // ---------------------------------------------------------------- results

    /** Names for contention addresses nobody else names (e.g. /proc/kallsyms via --symbols). */
    public void symbols(java.util.function.LongFunction<String> lookup) {
        this.symbols = lookup;
    }

    private void unnamed(int cls, boolean yes) {
        if (cls >= unnamedClass.length) {
            unnamedClass = Arrays.copyOf(unnamedClass, Math.max(cls + 1, unnamedClass.length * 2));
        }
        unnamedClass[cls] = yes;
    }

    /**
     * Whether lock_acquired was ever seen for the class: only then does an acquire released with
     * no lock_acquired in between show an annotation (might_lock, __might_fault) rather than a
     * lock type lock_stat does not instrument.
     */
    public boolean everGranted(int cls) {
        return cls < grantedClass.length && grantedClass[cls];
    }

    /** A synthetic class for contention on an address no event names. */
    public boolean isUnnamed(int cls) {
        return cls < unnamedClass.length && unnamedClass[cls];
    }

    /** lock_stat's numbers; the per-class chain counts are derived from the chains again only after new lookups. */
    public LockStats lockStats() {
        long lookups = stats.chainHits + stats.chainMisses;
        if (lookups != countedLookups) {
            lockStats.countChains(chains);
            countedLookups = lookups;
        }
        return lockStats;
    }

    /** Chain lookups when the per-class chain counts were last derived (-1: never). */
    private long countedLookups = -1;

    /** Holds still open when the trace ended, per class (their end lies after the window). */
    public long[] openHolds() {
        long[] open = new long[classCount()];
        for (HeldStack s : stacks) {
            if (s != null) {
                for (int i = 0; i < s.depth; i++) {
                    open[s.cls(i)]++;
                }
            }
        }
        return open;
    }

    public Contention contention() {
        return contention;
    }

    public DependencyGraph graph() {
        for (int c = 0, n = chains.size(); c < n; c++) {
            long hits = chains.takeUnfolded(c);
            for (int i = 0, m = hits == 0 ? 0 : chains.edgeCount(c); i < m; i++) {
                graph.exercise(chains.edge(c, i), hits);
            }
        }
        return graph;
    }

    public EdgeEvidence evidence() {
        return evidence;
    }

    public ThreadOrder order() {
        return order;
    }

    private long evidenceTask(int task) {
        return EdgeEvidence.task(taskBase + task, tasks.commId(task));
    }

    public ChainCache chains() {
        return chains;
    }

    public EngineStats stats() {
        return stats;
    }

    public List<Observation> observations() {
        return observations;
    }

    public ByteSymbols classes() {
        return classes;
    }

    public Tasks tasks() {
        return tasks;
    }

    public int classCount() {
        return classes.size();
    }

    /** The class's attribute bits from the rules (ClassRules.NOVALIDATE, ...). */
    public int classAttributes(int cls) {
        return flags(cls);
    }

    public int usage(int cls) {
        return cls < usage.length ? usage[cls] : 0;
    }

    /** Acquisitions of a class: lock_stat's count of both modes, plus what absorbed snapshots carried. */
    public long acquisitions(int cls) {
        return (cls < absorbedAcquisitions.length ? absorbedAcquisitions[cls] : 0) + lockStats.acquisitions(cls, false)
                + lockStats.acquisitions(cls, true);
    }

    /** Locks still held when the trace ended, over all tasks. */
    public long heldAtEnd() {
        long n = 0;
        for (HeldStack s : stacks) {
            if (s != null) {
                n += s.depth;
            }
        }
        return n;
    }
}
