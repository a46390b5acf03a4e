package dev.lockscope.sim;

import dev.lockscope.sim.Scenario.Block;
import dev.lockscope.sim.Scenario.Call;
import dev.lockscope.sim.Scenario.Kind;
import dev.lockscope.sim.Scenario.LockDecl;
import dev.lockscope.sim.Scenario.LockRef;
import dev.lockscope.sim.Scenario.MapDecl;
import dev.lockscope.sim.Scenario.Per;
import dev.lockscope.sim.Scenario.Proc;
import dev.lockscope.sim.Scenario.Src;
import dev.lockscope.sim.Scenario.Stmt;
import dev.lockscope.sim.Scenario.TaskDecl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compiles a scenario for one variant: resolves names (every unknown name is a
 * {@code file:line} error), checks lock modes against kinds and arguments against what a lock is
 * instantiated per, inlines procedure calls (with the variant's replacements), the fault path
 * behind {@code touch}/{@code gup} and the reclaim path behind {@code alloc}.
 */
public final class Compiler {
    private static final int MAX_DEPTH = 32;

    private final Scenario sc;
    private final Map<String, String> replace;
    private final List<String> fileNames;
    private final List<String> mmNames;
    private final List<String> mapNames;
    private final List<String> complNames;
    private final List<Program.Instance> instances = new ArrayList<>();
    private final Map<String, Integer> instanceIds = new HashMap<>();
    private final int[] completionMap;
    private final List<TreeSet<Integer>> signallers = new ArrayList<>();
    private int fsReclaim;

    // per task being compiled
    private int[] code;
    private Src[] srcs;
    private int n;
    private int regs;
    private int taskIndex;
    private TaskDecl task;
    private boolean inReclaim;
    /** Per statement list being compiled (innermost first): its {@code lock … unless mine} still unpaired. */
    private final ArrayDeque<List<Mine>> mineScopes = new ArrayDeque<>();

    /** An open {@code lock L(x) MODE unless mine}: its register records whether the lock was skipped. */
    private record Mine(int inst, int reg, Src src) {
    }

    private Compiler(Scenario sc, String variant) {
        this.sc = sc;
        if (variant == null) {
            replace = Map.of();
        } else {
            Scenario.Variant v = sc.variants().get(variant);
            if (v == null) {
                throw new ScenarioException("unknown variant '" + variant + "' (the scenario declares: "
                        + (sc.variants().isEmpty() ? "none" : String.join(", ", sc.variants().keySet())) + ")");
            }
            for (Map.Entry<String, String> e : v.replace().entrySet()) {
                for (String p : List.of(e.getKey(), e.getValue())) {
                    if (!sc.procs().containsKey(p)) {
                        throw new ScenarioException(v.src(), "variant " + variant + ": no procedure '" + p + "'");
                    }
                }
            }
            replace = v.replace();
        }
        fileNames = new ArrayList<>(sc.files().keySet());
        mmNames = new ArrayList<>(sc.mms().keySet());
        mapNames = new ArrayList<>(sc.maps().keySet());
        complNames = new ArrayList<>(sc.completions().keySet());
        completionMap = new int[complNames.size()];
        for (int i = 0; i < complNames.size(); i++) {
            signallers.add(new TreeSet<>());
            Scenario.CompletionDecl c = sc.completions().get(complNames.get(i));
            completionMap[i] = c.lockdepName() == null ? -1 : mapInstance(c.lockdepName());
        }
    }

    /** Compiles {@code sc} with {@code variant} (null: as written). */
    public static Program compile(Scenario sc, String variant) {
        return new Compiler(sc, variant).run();
    }

    private Program run() {
        fsReclaim = mapInstance("fs_reclaim");
        int nm = mapNames.size();
        int[] mapFile = new int[nm];
        int[] mapMm = new int[nm];
        boolean[] res = new boolean[nm];
        for (int i = 0; i < nm; i++) {
            MapDecl m = sc.maps().get(mapNames.get(i));
            mapFile[i] = indexOf(fileNames, m.file(), m.src(), "file");
            mapMm[i] = indexOf(mmNames, m.mm(), m.src(), "mm");
            res[i] = m.resident();
        }
        for (Scenario.FileDecl f : sc.files().values()) {
            if (!sc.filesystems().containsKey(f.fs())) {
                throw new ScenarioException(f.src(), "file " + f.name() + ": unknown file system '" + f.fs()
                        + "' (declare it with: fs " + f.fs() + " fault PROC)");
            }
        }
        List<Program.TaskCode> out = new ArrayList<>();
        for (taskIndex = 0; taskIndex < sc.tasks().size(); taskIndex++) {
            task = sc.tasks().get(taskIndex);
            if (!task.remote()) {
                indexOf(mmNames, task.mm(), task.src(), "mm");
            }
            code = new int[64];
            srcs = new Src[16];
            n = 0;
            regs = 0;
            body(task.body(), Map.of(), 0);
            emit(Program.END, 0, 0, 0, task.src());
            out.add(new Program.TaskCode(task.name(), 100 + taskIndex, task.service(), task.remote(),
                    java.util.Arrays.copyOf(code, n * 4), java.util.Arrays.copyOf(srcs, n), regs));
        }
        for (int c = 0; c < complNames.size(); c++) {
            Scenario.CompletionDecl d = sc.completions().get(complNames.get(c));
            for (String b : d.by()) {
                int t = -1;
                for (int k = 0; k < sc.tasks().size(); k++) {
                    if (sc.tasks().get(k).name().equals(b)) {
                        t = k;
                    }
                }
                if (t < 0) {
                    throw new ScenarioException(d.src(), "completion " + d.name() + ": no task '" + b + "'");
                }
                signallers.get(c).add(t); // declared signallers count even before they signal
            }
        }
        int[][] sig = new int[signallers.size()][];
        for (int i = 0; i < sig.length; i++) {
            sig[i] = signallers.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return new Program(out, List.copyOf(instances), mapFile, mapMm, res, mapNames.toArray(String[]::new),
                complNames.toArray(String[]::new), completionMap, sig, sc.memory(), sc.cpus(), fsReclaim);
    }

    /**
     * Compiles a statement list. A {@code lock … unless mine} must be paired with an
     * {@code unlock … unless mine} of the same lock later in the same list, so that the unlock is
     * skipped exactly when the lock was (gfs2: {@code if (!outer_gh) gfs2_glock_dq(&gh)}).
     */
    private void body(List<Stmt> stmts, Map<String, String> env, int depth) {
        List<Mine> open = new ArrayList<>();
        mineScopes.push(open);
        for (Stmt s : stmts) {
            stmt(s, env, depth);
        }
        mineScopes.pop();
        if (!open.isEmpty()) {
            Mine m = open.get(0);
            String ref = instances.get(m.inst()).display();
            throw new ScenarioException(m.src(), "lock " + ref + " unless mine: no 'unlock " + ref
                    + " unless mine' after it in the same block");
        }
    }

    private void stmt(Stmt s, Map<String, String> env, int depth) {
        Src src = s.src();
        if (s instanceof Scenario.Lock l) {
            int inst = instance(l.ref(), env, src);
            int mode = mode(instances.get(inst).kind(), l.mode(), src);
            if (l.unlessMine()) {
                int reg = regs++;
                int at = emit(Program.MINE, mineGlock(inst, src), reg, 0, src);
                emit(Program.ACQ, inst, mode, 0, src);
                patch(at, 3);
                mineScopes.peek().add(new Mine(inst, reg, src));
            } else {
                emit(Program.ACQ, inst, mode, 0, src);
            }
        } else if (s instanceof Scenario.Unlock u) {
            int inst = instance(u.ref(), env, src);
            Mine m = pairedMine(inst, u.unlessMine(), src);
            if (m != null) {
                int at = emit(Program.SKIP_IF, m.reg(), 0, 0, src);
                emit(Program.REL, inst, 0, 0, src);
                patch(at, 2);
            } else {
                emit(Program.REL, inst, 0, 0, src);
            }
        } else if (s instanceof Scenario.CallStmt c) {
            call(c.call(), env, depth, src);
        } else if (s instanceof Scenario.Touch t) {
            int m = map(t.map(), env, src);
            int mm = instanceOf("mmap_lock", mmNames.get(mapMmOf(m)), src);
            int at = emit(Program.TOUCH, m, 0, mm, src);
            emit(Program.ACQ, mm, Program.SHARED, 0, src);
            fault(m, depth, src);
            emit(Program.REL, mm, 0, 0, src);
            patch(at, 2);
        } else if (s instanceof Scenario.Gup g) {
            int m = map(g.map(), env, src);
            int mm = instanceOf("mmap_lock", mmNames.get(mapMmOf(m)), src);
            emit(Program.ACQ, mm, Program.SHARED, 0, src);
            int at = emit(Program.GUP, m, 0, 0, src);
            fault(m, depth, src);
            patch(at, 2);
            emit(Program.REL, mm, 0, 0, src);
        } else if (s instanceof Scenario.Alloc) {
            if (inReclaim) {
                return; // reclaim runs with PF_MEMALLOC: its own allocations do not recurse into reclaim
            }
            int at = emit(Program.ALLOC, 0, 0, 0, src);
            emit(Program.MAP_ACQ, fsReclaim, 0, 0, src);
            int rec = emit(Program.RECLAIM, 0, 0, 0, src);
            inReclaim = true;
            for (Call c : sc.shrinkers()) {
                call(c, Map.of(), depth + 1, c.src());
            }
            inReclaim = false;
            patch(rec, 1);
            emit(Program.MAP_REL, fsReclaim, 0, 0, src);
            patch(at, 1);
        } else if (s instanceof Scenario.Wait w) {
            int c = completion(w.completion(), src);
            if (completionMap[c] >= 0) { // annotated like flush_work(): the waiter takes the map for a moment
                emit(Program.MAP_ACQ, completionMap[c], 0, 0, src);
                emit(Program.MAP_REL, completionMap[c], 0, 0, src);
            }
            emit(Program.WAIT, c, 0, 0, src);
        } else if (s instanceof Scenario.Signal g) {
            int c = completion(g.completion(), src);
            List<String> by = sc.completions().get(g.completion()).by();
            if (!by.isEmpty() && !by.contains(task.name())) {
                throw new ScenarioException(src, "task " + task.name() + " signals " + g.completion()
                        + ", which only " + String.join(", ", by) + " may signal");
            }
            signallers.get(c).add(taskIndex);
            emit(Program.SIGNAL, c, 0, 0, src);
        } else if (s instanceof Scenario.Demote d) {
            emit(Program.DEMOTE, glock(d.ref(), env, src), 0, 0, src);
        } else if (s instanceof Scenario.RemoteRelease r) {
            emit(Program.RREL, glock(r.ref(), env, src), 0, 0, src);
        } else if (s instanceof Block b) {
            block(b, env, depth);
        }
    }

    private void block(Block b, Map<String, String> env, int depth) {
        Src src = b.src();
        switch (b.kind()) {
            case loop, retry -> {
                int reg = regs++;
                boolean retry = b.kind() == Scenario.BlockKind.retry;
                int start = emit(retry ? Program.RETRY_INIT : Program.LOOP_INIT, reg, 0, 0, src) + 1;
                body(b.body(), env, depth);
                emit(retry ? Program.RETRY_END : Program.LOOP_END, reg, b.count(), start, src);
            }
            case pagefault_disabled -> {
                emit(Program.PF_OFF, 0, 0, 0, src);
                body(b.body(), env, depth);
                emit(Program.PF_ON, 0, 0, 0, src);
            }
            case nofs -> {
                emit(Program.NOFS_ON, 0, 0, 0, src);
                body(b.body(), env, depth);
                emit(Program.NOFS_OFF, 0, 0, 0, src);
            }
            case faults_disabled -> {
                String f = resolve(b.arg(), env, src);
                if (!sc.files().containsKey(f)) {
                    throw new ScenarioException(src, "faults_disabled takes a file (its mapping is the one whose faults fail), not '" + f + "'");
                }
                emit(Program.FDM_SET, fileNames.indexOf(f), 0, 0, src);
                body(b.body(), env, depth);
                emit(Program.FDM_CLEAR, 0, 0, 0, src);
            }
            case signalling -> {
                int c = completion(b.arg(), src);
                int mapInst = completionMap[c];
                if (mapInst < 0) {
                    throw new ScenarioException(src, "signalling " + b.arg() + ": the completion has no lockdep map name");
                }
                emit(Program.MAP_ACQ, mapInst, 0, 0, src);
                body(b.body(), env, depth);
                emit(Program.MAP_REL, mapInst, 0, 0, src);
            }
            case if_failed, maybe -> {
                int at = emit(b.kind() == Scenario.BlockKind.maybe ? Program.MAYBE : Program.IF_FAILED, 0, 0, 0, src);
                body(b.body(), env, depth);
                patch(at, 1);
            }
        }
    }

    /** Inlines a call; arguments are names of files, mms or mappings (or the caller's parameters). */
    private void call(Call c, Map<String, String> env, int depth, Src src) {
        String name = replace.getOrDefault(c.proc(), c.proc());
        Proc p = sc.procs().get(name);
        if (p == null) {
            throw new ScenarioException(src, "unknown procedure '" + c.proc() + "'");
        }
        if (p.params().size() != c.args().size()) {
            throw new ScenarioException(src, name + " takes " + p.params().size() + " argument"
                    + (p.params().size() == 1 ? "" : "s") + " (" + String.join(", ", p.params()) + "), not " + c.args().size());
        }
        if (depth >= MAX_DEPTH) {
            throw new ScenarioException(src, "calls nested deeper than " + MAX_DEPTH + " (recursive procedure " + name + "?)");
        }
        Map<String, String> inner = new LinkedHashMap<>();
        for (int i = 0; i < p.params().size(); i++) {
            inner.put(p.params().get(i), resolve(c.args().get(i), env, src));
        }
        body(p.body(), inner, depth + 1);
    }

    /** The fault path of mapping {@code m}: the fault procedure of its file's fs, called with the file. */
    private void fault(int m, int depth, Src src) {
        String file = fileNames.get(mapFileOf(m));
        String fs = sc.files().get(file).fs();
        String proc = sc.filesystems().get(fs).faultProc();
        call(new Call(proc, List.of(file), src), Map.of(), depth, src);
        emit(Program.RESIDE, m, 0, 0, src);
    }

    private String resolve(String name, Map<String, String> env, Src src) {
        if (env.containsKey(name)) {
            return env.get(name);
        }
        if (sc.files().containsKey(name) || sc.mms().containsKey(name) || sc.maps().containsKey(name)) {
            return name;
        }
        throw new ScenarioException(src, "unknown name '" + name + "' (not a parameter, file, mm or mapping)");
    }

    private int map(String name, Map<String, String> env, Src src) {
        String r = resolve(name, env, src);
        int i = mapNames.indexOf(r);
        if (i < 0) {
            throw new ScenarioException(src, "'" + r + "' is not a mapping (declare it with: map NAME MM FILE)");
        }
        if (!task.remote() && !sc.maps().get(r).mm().equals(task.mm())) {
            throw new ScenarioException(src, "task " + task.name() + " (mm " + task.mm() + ") touches mapping " + r
                    + " of mm " + sc.maps().get(r).mm());
        }
        return i;
    }

    private int mapFileOf(int m) {
        return fileNames.indexOf(sc.maps().get(mapNames.get(m)).file());
    }

    private int mapMmOf(int m) {
        return mmNames.indexOf(sc.maps().get(mapNames.get(m)).mm());
    }

    private int completion(String name, Src src) {
        int i = complNames.indexOf(name);
        if (i < 0) {
            throw new ScenarioException(src, "unknown completion '" + name + "'");
        }
        return i;
    }

    /** {@code unless mine} is gfs2's test: only a glock has it. */
    private int mineGlock(int inst, Src src) {
        Program.Instance i = instances.get(inst);
        return glockOnly(inst, src, "'unless mine' is gfs2's gfs2_glock_is_locked_by_me() test: " + i.display()
                + " is a " + i.kind() + ", not a glock");
    }

    /**
     * The open {@code lock … unless mine} that an unlock of {@code inst} in this block closes (null
     * for a plain unlock of a lock taken plainly). An {@code unless mine} unlock needs one; a plain
     * unlock must not leave one unpaired, since that lock may have been skipped.
     */
    private Mine pairedMine(int inst, boolean unlessMine, Src src) {
        List<Mine> open = mineScopes.peek();
        for (int k = open.size() - 1; k >= 0; k--) {
            Mine m = open.get(k);
            if (m.inst() != inst) {
                continue;
            }
            if (!unlessMine) {
                String ref = instances.get(inst).display();
                throw new ScenarioException(src, "unlock " + ref + ": the lock at " + m.src()
                        + " may have been skipped (unless mine); write 'unlock " + ref + " unless mine'");
            }
            return open.remove(k);
        }
        if (unlessMine) {
            String ref = instances.get(mineGlock(inst, src)).display();
            throw new ScenarioException(src, "unlock " + ref + " unless mine: no 'lock " + ref
                    + " MODE unless mine' before it in the same block");
        }
        return null;
    }

    private int glock(LockRef r, Map<String, String> env, Src src) {
        return glockOnly(instance(r, env, src), src, r.lock() + " is not a glock");
    }

    /** The instance, if it is a glock; otherwise the scenario error {@code notAGlock}. */
    private int glockOnly(int inst, Src src, String notAGlock) {
        if (instances.get(inst).kind() != Kind.glock) {
            throw new ScenarioException(src, notAGlock);
        }
        return inst;
    }

    private int instance(LockRef r, Map<String, String> env, Src src) {
        LockDecl d = sc.locks().get(r.lock());
        if (d == null) {
            throw new ScenarioException(src, "unknown lock '" + r.lock() + "'");
        }
        if (d.per() == Per.global) {
            if (r.arg() != null) {
                throw new ScenarioException(src, "lock " + d.name() + " is global: write it without (" + r.arg() + ")");
            }
            return instanceOf(d.name(), null, src);
        }
        if (r.arg() == null) {
            throw new ScenarioException(src, "lock " + d.name() + " is per " + d.per() + ": write " + d.name() + "(" + d.per().name().toUpperCase() + ")");
        }
        return instanceOf(d.name(), resolve(r.arg(), env, src), src);
    }

    /** The instance of lock {@code lock} for object {@code obj} (a file or mm name), created on first use. */
    private int instanceOf(String lock, String obj, Src src) {
        LockDecl d = sc.locks().get(lock);
        if (d == null) {
            throw new ScenarioException(src, "this needs a lock named '" + lock + "' (include the vfs model)");
        }
        if (d.per() == Per.file && obj != null && !sc.files().containsKey(obj)) {
            throw new ScenarioException(src, "lock " + lock + " is per file, but '" + obj + "' is not a file");
        }
        if (d.per() == Per.mm && obj != null && !sc.mms().containsKey(obj)) {
            throw new ScenarioException(src, "lock " + lock + " is per mm, but '" + obj + "' is not an mm");
        }
        String key = lock + "\0" + obj;
        Integer id = instanceIds.get(key);
        if (id != null) {
            return id;
        }
        int i = instances.size();
        int file = obj != null && sc.files().containsKey(obj) ? fileNames.indexOf(obj) : -1;
        long addr = (d.per() == Per.global ? 0xffffffff82a40000L : 0xffff888004000000L) + 0x1c8L * (i + 1);
        String display = obj == null ? lock : lock + "(" + obj + ")";
        if (d.kind() == Kind.glock) {
            long number = file >= 0 ? sc.files().get(obj).inode() : 1;
            instances.add(new Program.Instance(d.lockdepName(), d.kind(), addr, Integer.parseInt(d.lockdepName()), number, file, display));
        } else {
            instances.add(new Program.Instance(d.lockdepName(), d.kind(), addr, 0, 0, file, display));
        }
        instanceIds.put(key, i);
        return i;
    }

    /** A pure lockdep map (never blocks), one per name. */
    private int mapInstance(String name) {
        String key = "\0map\0" + name;
        Integer id = instanceIds.get(key);
        if (id != null) {
            return id;
        }
        int i = instances.size();
        instances.add(new Program.Instance(name, null, 0xffffffff82b00000L + 0x40L * (i + 1), 0, 0, -1, name));
        instanceIds.put(key, i);
        return i;
    }

    private static int mode(Kind k, String m, Src src) {
        String[] allowed = switch (k) {
            case mutex, spinlock -> new String[] {};
            case rwsem -> new String[] {"write", "read"};
            case glock -> new String[] {"EX", "SH", "DF"};
            case pagecache -> new String[] {"block", "add"};
        };
        if (m == null) {
            if (allowed.length == 0 || k == Kind.rwsem) {
                return Program.EXCL;
            }
            throw new ScenarioException(src, "a " + k + " lock needs a mode: " + String.join(" or ", allowed));
        }
        for (int i = 0; i < allowed.length; i++) {
            if (allowed[i].equals(m)) {
                return i;
            }
        }
        throw new ScenarioException(src, allowed.length == 0 ? "a " + k + " takes no mode, found '" + m + "'"
                : "a " + k + " mode is " + String.join(", ", allowed) + ", not '" + m + "'");
    }

    private static int indexOf(List<String> names, String name, Src src, String what) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new ScenarioException(src, "unknown " + what + " '" + name + "'");
        }
        return i;
    }

    private int emit(int op, int a, int b, int c, Src src) {
        if ((n + 1) * 4 > code.length) {
            code = java.util.Arrays.copyOf(code, code.length * 2);
        }
        if (n + 1 > srcs.length) {
            srcs = java.util.Arrays.copyOf(srcs, srcs.length * 2);
        }
        code[n * 4] = op;
        code[n * 4 + 1] = a;
        code[n * 4 + 2] = b;
        code[n * 4 + 3] = c;
        srcs[n] = src;
        return n++;
    }

    /** Sets operand {@code slot} of instruction {@code at} to the next instruction's index. */
    private void patch(int at, int slot) {
        code[at * 4 + slot] = n;
    }
}
