package dev.lockscope.sim;

import static dev.lockscope.sim.Program.*;

import dev.lockscope.sim.Scenario.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated kernel: the state of every task and lock instance packed in one int array (so
 * exploration can copy, compare and cache it), and the semantics of one scheduling step.
 *
 * <p>Lock rules: a mutex or spinlock has one owner; an rwsem admits readers while no writer
 * holds it and none is queued (a queued writer blocks new readers, recursive or not, as the
 * kernel's rwsem does), and a writer when nobody holds it; the bcachefs pagecache lock admits any
 * number of holders of one mode (add or block) and none of the other; a glock admits local
 * SH holders together, DF holders together, one EX holder alone, and no new holder while a
 * remote demote is pending or a remote node holds it; {@code lock … unless mine} takes no holder
 * (and emits nothing) when the task already holds the glock in a mode that covers the request.
 * {@code lock_acquire} is emitted before the task waits (as lockdep does), {@code lock_contended}
 * when it has to wait, {@code lock_acquired} when it gets the lock.
 */
public final class Machine {
    static final int MAX_HELD = 24;
    // task block
    private static final int T_PC = 0;
    private static final int T_PHASE = 1;
    private static final int T_FAILED = 2;
    private static final int T_PF = 3;
    private static final int T_NOFS = 4;
    private static final int T_FDM = 5;
    private static final int T_DONE = 6;
    private static final int T_NHELD = 7;
    private static final int T_HELD = 8;
    // instance block
    private static final int I_OWNER = 0;
    private static final int I_A = 1;
    private static final int I_B = 2;
    private static final int I_C = 3;
    private static final int I_STATE = 4;
    private static final int I_FLAGS = 5;
    private static final int IB = 6;
    private static final int PENDING_DEMOTE = 1;
    private static final int REMOTE_HELD = 2;
    // glock states as the kernel numbers them
    static final int NL = 0;
    static final int EX = 1;
    static final int CW = 2;
    static final int PR = 3;

    private final Program p;
    private final int nt;
    private final int[] tbase;
    private final int[] tregs;
    private final int ibase;
    private final int cbase;
    private final int mbase;
    private final int[][] code;
    private final Program.Instance[] inst;
    private final Kind[] kind;
    int[] s;
    long now;
    private long events;

    public Machine(Program p) {
        this.p = p;
        nt = p.tasks().size();
        tbase = new int[nt];
        tregs = new int[nt];
        code = new int[nt][];
        int at = 0;
        for (int t = 0; t < nt; t++) {
            tbase[t] = at;
            tregs[t] = at + T_HELD + MAX_HELD;
            at = tregs[t] + p.tasks().get(t).regs();
            code[t] = p.tasks().get(t).code();
        }
        inst = p.instances().toArray(Program.Instance[]::new);
        kind = new Kind[inst.length];
        for (int i = 0; i < inst.length; i++) {
            kind[i] = inst[i].kind();
        }
        ibase = at;
        cbase = ibase + IB * inst.length;
        mbase = cbase + p.completionNames().length;
        s = new int[mbase + p.mapFile().length];
        for (int m = 0; m < p.mapFile().length; m++) {
            s[mbase + m] = p.mapResident()[m] ? 1 : 0;
        }
    }

    /** Runs every task's leading bookkeeping; call once before the first step. */
    public void start(Emitter e) {
        for (int t = 0; t < nt; t++) {
            advance(t, e);
        }
    }

    public Program program() {
        return p;
    }

    public int tasks() {
        return nt;
    }

    public long events() {
        return events;
    }

    /**
     * Whether the run is over: every task that is not a service has finished, and every service
     * has finished or is idle (waiting for a completion while holding no lock).
     */
    public boolean finished() {
        for (int t = 0; t < nt; t++) {
            int b = tbase[t];
            if (s[b + T_DONE] != 0) {
                continue;
            }
            if (!p.tasks().get(t).service() || op(t) != WAIT || enabled(t) || s[b + T_NHELD] != 0) {
                return false;
            }
        }
        return true;
    }

    public boolean done(int t) {
        return s[tbase[t] + T_DONE] != 0;
    }

    private int op(int t) {
        return code[t][s[tbase[t] + T_PC] * 4];
    }

    private int arg(int t, int k) {
        return code[t][s[tbase[t] + T_PC] * 4 + k];
    }

    /** Whether task t can take a step now. */
    public boolean enabled(int t) {
        int b = tbase[t];
        if (s[b + T_DONE] != 0) {
            return false;
        }
        return switch (op(t)) {
            case ACQ -> s[b + T_PHASE] == 0 || available(t, arg(t, 1), arg(t, 2));
            case WAIT -> s[cbase + arg(t, 1)] > 0;
            case DEMOTE -> s[b + T_PHASE] == 0 || holders(arg(t, 1)) == 0;
            default -> true;
        };
    }

    /** Whether task t's next step is a choice with two outcomes. */
    public boolean choiceAt(int t) {
        return s[tbase[t] + T_DONE] == 0 && p.isChoice(op(t));
    }

    private boolean available(int t, int i, int mode) {
        int o = ibase + IB * i;
        return switch (kind[i]) {
            case mutex, spinlock -> s[o + I_OWNER] == 0;
            case rwsem -> s[o + I_OWNER] == 0 && (mode == EXCL ? s[o + I_A] == 0 : s[o + I_B] == 0);
            case pagecache -> mode == EXCL ? s[o + I_A] == 0 : s[o + I_B] == 0;
            case glock -> s[o + I_FLAGS] == 0 && switch (mode) {
                case SHARED -> s[o + I_B] == 0 && s[o + I_C] == 0;
                case DEFERRED -> s[o + I_A] == 0 && s[o + I_B] == 0;
                default -> s[o + I_A] == 0 && s[o + I_B] == 0 && s[o + I_C] == 0;
            };
        };
    }

    private int holders(int i) {
        int o = ibase + IB * i;
        return s[o + I_A] + s[o + I_B] + s[o + I_C];
    }

    private long tick() {
        now += 250;
        events++;
        return now;
    }

    /** Runs task t's next visible action, then its local bookkeeping up to the next shared action. */
    public void step(int t, int choice, Emitter e) {
        int b = tbase[t];
        int pc = s[b + T_PC];
        int[] c = code[t];
        int a1 = c[pc * 4 + 1];
        int a2 = c[pc * 4 + 2];
        int a3 = c[pc * 4 + 3];
        now += 750;
        switch (c[pc * 4]) {
            case ACQ -> acquire(t, a1, a2, e);
            case REL -> {
                release(t, a1, e);
                s[b + T_PC]++;
            }
            case TOUCH -> {
                if (s[b + T_PF] == 0) {
                    e.acquire(t, a3, true, tick());
                    e.release(t, a3, tick());
                }
                if (s[mbase + a1] != 0) {
                    s[b + T_PC] = a2;
                } else if (s[b + T_PF] != 0) {
                    s[b + T_FAILED] = 1;
                    s[b + T_PC] = a2;
                } else {
                    s[b + T_PC]++;
                }
            }
            case GUP -> {
                if (s[mbase + a1] != 0) {
                    s[b + T_PC] = a2;
                } else if (s[b + T_FDM] == p.mapFile()[a1] + 1) {
                    s[b + T_FAILED] = 1;
                    s[b + T_PC] = a2;
                } else {
                    s[b + T_PC]++;
                }
            }
            case RESIDE -> {
                s[mbase + a1] = 1;
                s[b + T_PC]++;
            }
            case RECLAIM -> s[b + T_PC] = choice == 1 ? pc + 1 : a1;
            case MAYBE -> s[b + T_PC] = choice == 1 ? pc + 1 : a1;
            case WAIT -> {
                s[cbase + a1]--;
                s[b + T_PC]++;
            }
            case SIGNAL -> {
                s[cbase + a1]++;
                s[b + T_PC]++;
            }
            case DEMOTE -> demote(t, a1, e);
            case RREL -> {
                s[ibase + IB * a1 + I_FLAGS] &= ~REMOTE_HELD;
                s[ibase + IB * a1 + I_OWNER] = 0;
                s[b + T_PC]++;
            }
            case END -> {
                s[b + T_DONE] = 1;
                return;
            }
            default -> throw new IllegalStateException("not a visible instruction: " + c[pc * 4]);
        }
        advance(t, e);
    }

    private void acquire(int t, int i, int mode, Emitter e) {
        int b = tbase[t];
        int o = ibase + IB * i;
        if (s[b + T_PHASE] == 0) {
            if (kind[i] == Kind.glock) {
                e.glockQueue(t, i, mode, false, tick());
            } else {
                e.acquire(t, i, mode == SHARED, tick());
            }
            if (!available(t, i, mode)) {
                if (kind[i] != Kind.glock) {
                    e.contended(t, i, tick());
                }
                if (kind[i] == Kind.rwsem && mode == EXCL) {
                    s[o + I_B]++;
                }
                s[b + T_PHASE] = 1;
                return;
            }
        } else if (kind[i] == Kind.rwsem && mode == EXCL) {
            s[o + I_B]--;
        }
        s[b + T_PHASE] = 0;
        switch (kind[i]) {
            case mutex, spinlock -> s[o + I_OWNER] = t + 1;
            case rwsem -> {
                if (mode == EXCL) {
                    s[o + I_OWNER] = t + 1;
                } else {
                    s[o + I_A]++;
                }
            }
            case pagecache -> s[o + (mode == EXCL ? I_B : I_A)]++;
            case glock -> {
                int need = mode == SHARED ? PR : mode == DEFERRED ? CW : EX;
                int cur = s[o + I_STATE];
                if (cur != need && !(cur == EX && mode == SHARED)) {
                    e.glockStateChange(t, i, cur, need, need, EX, tick());
                    s[o + I_STATE] = need;
                }
                s[o + (mode == SHARED ? I_A : mode == DEFERRED ? I_C : I_B)]++;
            }
        }
        if (kind[i] == Kind.glock) {
            e.glockPromote(t, i, mode, tick());
        } else {
            e.acquired(t, i, tick());
        }
        int n = s[b + T_NHELD];
        if (n == MAX_HELD) {
            throw new SimulationException(p.tasks().get(t).src()[s[b + T_PC]], p.tasks().get(t).name()
                    + " holds more than " + MAX_HELD + " locks");
        }
        s[b + T_HELD + n] = i << 2 | mode;
        s[b + T_NHELD] = n + 1;
        s[b + T_PC]++;
    }

    private void release(int t, int i, Emitter e) {
        int b = tbase[t];
        int n = s[b + T_NHELD];
        int k = n - 1;
        while (k >= 0 && s[b + T_HELD + k] >>> 2 != i) {
            k--;
        }
        if (k < 0) {
            throw new SimulationException(p.tasks().get(t).src()[s[b + T_PC]], p.tasks().get(t).name()
                    + " unlocks " + inst[i].display() + ", which it does not hold");
        }
        int mode = s[b + T_HELD + k] & 3;
        System.arraycopy(s, b + T_HELD + k + 1, s, b + T_HELD + k, n - k - 1);
        s[b + T_HELD + n - 1] = 0;
        s[b + T_NHELD] = n - 1;
        int o = ibase + IB * i;
        switch (kind[i]) {
            case mutex, spinlock -> s[o + I_OWNER] = 0;
            case rwsem -> {
                if (mode == EXCL) {
                    s[o + I_OWNER] = 0;
                } else {
                    s[o + I_A]--;
                }
            }
            case pagecache -> s[o + (mode == EXCL ? I_B : I_A)]--;
            case glock -> s[o + (mode == SHARED ? I_A : mode == DEFERRED ? I_C : I_B)]--;
        }
        if (kind[i] == Kind.glock) {
            e.glockQueue(t, i, mode, true, tick());
        } else {
            e.release(t, i, tick());
        }
    }

    /** A remote node wants the glock: new local holders wait; once the last one leaves, the local state drops to NL. */
    private void demote(int t, int i, Emitter e) {
        int b = tbase[t];
        int o = ibase + IB * i;
        if (s[b + T_PHASE] == 0) {
            s[o + I_FLAGS] |= PENDING_DEMOTE;
            s[o + I_OWNER] = t + 1;
            if (s[o + I_STATE] != NL) { // a node that holds nothing gets no callback
                e.glockDemoteRequest(t, i, s[o + I_STATE], NL, tick());
            }
            s[b + T_PHASE] = 2;
            return;
        }
        if (s[o + I_STATE] != NL) {
            e.glockStateChange(t, i, s[o + I_STATE], NL, NL, NL, tick());
            s[o + I_STATE] = NL;
        }
        s[o + I_FLAGS] = REMOTE_HELD;
        int f = inst[i].file();
        for (int m = 0; m < p.mapFile().length; m++) {
            if (p.mapFile()[m] == f) {
                s[mbase + m] = 0; // the page cache goes with the glock
            }
        }
        s[b + T_PHASE] = 0;
        s[b + T_PC]++;
    }

    /** Executes task-local instructions (flags, loops, annotations) until the next shared action. */
    private void advance(int t, Emitter e) {
        int b = tbase[t];
        int[] c = code[t];
        while (true) {
            int pc = s[b + T_PC];
            int a1 = c[pc * 4 + 1];
            int a2 = c[pc * 4 + 2];
            int a3 = c[pc * 4 + 3];
            switch (c[pc * 4]) {
                case MAP_ACQ -> {
                    e.acquire(t, a1, false, tick());
                    s[b + T_PC]++;
                }
                case MAP_REL -> {
                    e.release(t, a1, tick());
                    s[b + T_PC]++;
                }
                case ALLOC -> s[b + T_PC] = s[b + T_NOFS] != 0 ? a1 : pc + 1;
                case RECLAIM -> {
                    if (p.memory() == Scenario.Memory.maybe) {
                        return;
                    }
                    s[b + T_PC] = p.memory() == Scenario.Memory.tight ? pc + 1 : a1;
                }
                case PF_OFF -> {
                    s[b + T_PF]++;
                    s[b + T_PC]++;
                }
                case PF_ON -> {
                    s[b + T_PF]--;
                    s[b + T_PC]++;
                }
                case NOFS_ON -> {
                    s[b + T_NOFS]++;
                    s[b + T_PC]++;
                }
                case NOFS_OFF -> {
                    s[b + T_NOFS]--;
                    s[b + T_PC]++;
                }
                case FDM_SET -> {
                    s[b + T_FDM] = a1 + 1;
                    s[b + T_PC]++;
                }
                case FDM_CLEAR -> {
                    s[b + T_FDM] = 0;
                    s[b + T_PC]++;
                }
                case LOOP_INIT -> {
                    s[tregs[t] + a1] = 0;
                    s[b + T_PC]++;
                }
                case LOOP_END -> s[b + T_PC] = ++s[tregs[t] + a1] < a2 ? a3 : pc + 1;
                case RETRY_INIT -> {
                    s[tregs[t] + a1] = 0;
                    s[b + T_FAILED] = 0;
                    s[b + T_PC]++;
                }
                case RETRY_END -> {
                    if (s[b + T_FAILED] != 0 && ++s[tregs[t] + a1] < a2) {
                        s[b + T_FAILED] = 0;
                        s[b + T_PC] = a3;
                    } else {
                        s[b + T_PC]++;
                    }
                }
                case IF_FAILED -> s[b + T_PC] = s[b + T_FAILED] != 0 ? pc + 1 : a1;
                case MINE -> {
                    int held = heldMode(t, a1);
                    int want = c[(pc + 1) * 4 + 2];
                    if (held >= 0 && !covers(held, want)) {
                        throw new SimulationException(p.tasks().get(t).src()[pc], p.tasks().get(t).name() + " holds "
                                + inst[a1].display() + modeName(kind[a1], held) + ", which does not cover"
                                + modeName(kind[a1], want) + ": gfs2 fails such a fault with VM_FAULT_SIGBUS,"
                                + " which the simulator does not model");
                    }
                    s[tregs[t] + a2] = held >= 0 ? 1 : 0;
                    s[b + T_PC] = held >= 0 ? a3 : pc + 1;
                }
                case SKIP_IF -> s[b + T_PC] = s[tregs[t] + a1] != 0 ? a2 : pc + 1;
                default -> {
                    return;
                }
            }
        }
    }

    /** The mode in which task t holds instance i, or -1 if it does not hold it. */
    private int heldMode(int t, int i) {
        int b = tbase[t];
        for (int k = 0; k < s[b + T_NHELD]; k++) {
            if (s[b + T_HELD + k] >>> 2 == i) {
                return s[b + T_HELD + k] & 3;
            }
        }
        return -1;
    }

    /**
     * Whether a glock holder in mode {@code held} covers a request for {@code want}, as
     * gfs2_holder_is_compatible() decides: EX covers EX and SH, SH only SH, DF only DF.
     */
    private static boolean covers(int held, int want) {
        return held == EXCL ? want != DEFERRED : held == want;
    }

    /** One edge of the wait-for graph: {@code waiter} waits for {@code holder} because of {@code why}. */
    public record WaitEdge(int waiter, int holder, String why) {
    }

    /** Why each blocked task waits, as edges to the tasks it waits for (in task order). */
    public List<WaitEdge> waitsFor() {
        List<WaitEdge> out = new ArrayList<>();
        for (int t = 0; t < nt; t++) {
            if (done(t) || enabled(t)) {
                continue;
            }
            int i = arg(t, 1);
            switch (op(t)) {
                case ACQ -> {
                    int mode = arg(t, 2);
                    String want = inst[i].display() + modeName(kind[i], mode);
                    for (int u = 0; u < nt; u++) {
                        for (int k = 0; k < s[tbase[u] + T_NHELD]; k++) {
                            int h = s[tbase[u] + T_HELD + k];
                            if (h >>> 2 == i && !compatible(kind[i], mode, h & 3)) {
                                out.add(new WaitEdge(t, u, "wants " + want + ", held by " + name(u)
                                        + modeName(kind[i], h & 3)));
                            }
                        }
                        if (u != t && kind[i] == Kind.rwsem && mode == SHARED && op(u) == ACQ
                                && arg(u, 1) == i && arg(u, 2) == EXCL && s[tbase[u] + T_PHASE] == 1) {
                            out.add(new WaitEdge(t, u, "wants " + want + ", which the queued writer " + name(u)
                                    + " blocks for new readers"));
                        }
                    }
                    int o = ibase + IB * i;
                    if (kind[i] == Kind.glock && s[o + I_FLAGS] != 0) {
                        int r = s[o + I_OWNER] - 1;
                        out.add(new WaitEdge(t, r, "wants " + want + ", which "
                                + ((s[o + I_FLAGS] & PENDING_DEMOTE) != 0 ? "the pending remote demote by " : "the remote holder ")
                                + name(r) + " blocks"));
                    }
                }
                case DEMOTE -> {
                    for (int u = 0; u < nt; u++) {
                        for (int k = 0; k < s[tbase[u] + T_NHELD]; k++) {
                            int h = s[tbase[u] + T_HELD + k];
                            if (h >>> 2 == i) {
                                out.add(new WaitEdge(t, u, "demotes " + inst[i].display() + " and waits for "
                                        + name(u) + " to release it" + modeName(kind[i], h & 3)));
                            }
                        }
                    }
                }
                case WAIT -> {
                    int[] sig = p.signallers()[i];
                    if (sig.length == 0) {
                        out.add(new WaitEdge(t, -1, "waits for " + p.completionNames()[i] + ", which no task signals"));
                    }
                    for (int u : sig) {
                        out.add(new WaitEdge(t, u, "waits for " + p.completionNames()[i] + ", which only "
                                + (sig.length == 1 ? "" : "tasks like ") + name(u) + " signals"
                                + (done(u) ? " (it has exited)" : "")));
                    }
                }
                default -> {
                }
            }
        }
        return out;
    }

    private static boolean compatible(Kind k, int want, int held) {
        return switch (k) {
            case mutex, spinlock -> false;
            case rwsem -> want == SHARED && held == SHARED;
            case pagecache -> want == held;
            case glock -> want == held && want != EXCL;
        };
    }

    static String modeName(Kind k, int mode) {
        if (k == null) {
            return "";
        }
        return switch (k) {
            case mutex, spinlock -> "";
            case rwsem -> mode == SHARED ? " (read)" : " (write)";
            case pagecache -> mode == SHARED ? " (add)" : " (block)";
            case glock -> mode == SHARED ? " (SH)" : mode == DEFERRED ? " (DF)" : " (EX)";
        };
    }

    public String name(int t) {
        Program.TaskCode c = p.tasks().get(t);
        return c.name() + "-" + c.pid();
    }
}
