package dev.lockscope.sim;

import dev.lockscope.sim.Scenario.Block;
import dev.lockscope.sim.Scenario.BlockKind;
import dev.lockscope.sim.Scenario.Call;
import dev.lockscope.sim.Scenario.CompletionDecl;
import dev.lockscope.sim.Scenario.FileDecl;
import dev.lockscope.sim.Scenario.FsDecl;
import dev.lockscope.sim.Scenario.Kind;
import dev.lockscope.sim.Scenario.LockDecl;
import dev.lockscope.sim.Scenario.LockRef;
import dev.lockscope.sim.Scenario.MapDecl;
import dev.lockscope.sim.Scenario.MmDecl;
import dev.lockscope.sim.Scenario.Per;
import dev.lockscope.sim.Scenario.Proc;
import dev.lockscope.sim.Scenario.Src;
import dev.lockscope.sim.Scenario.Stmt;
import dev.lockscope.sim.Scenario.TaskDecl;
import dev.lockscope.sim.Scenario.Variant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-written parser of the scenario language: one declaration or statement per line,
 * {@code #} starts a comment, blocks close with {@code end}, {@code include PATH} reads a model
 * file relative to the including file. Every error names the file and line.
 */
public final class ScenarioParser {
    /** Longest lockdep name accepted (the kernel's are far shorter; this bounds an ftrace line). */
    static final int MAX_NAME = 255;
    private final Map<String, LockDecl> locks = new LinkedHashMap<>();
    private final Map<String, CompletionDecl> completions = new LinkedHashMap<>();
    private final Map<String, FsDecl> filesystems = new LinkedHashMap<>();
    private final Map<String, Proc> procs = new LinkedHashMap<>();
    private final List<Call> shrinkers = new ArrayList<>();
    private final Map<String, FileDecl> files = new LinkedHashMap<>();
    private final Map<String, MmDecl> mms = new LinkedHashMap<>();
    private final Map<String, MapDecl> maps = new LinkedHashMap<>();
    private final List<TaskDecl> tasks = new ArrayList<>();
    private final Map<String, Variant> variants = new LinkedHashMap<>();
    private final Set<Path> included = new HashSet<>();
    private Scenario.Memory memory;
    private int cpus;

    /** Parses a scenario file and the model files it includes. */
    public static Scenario parse(Path file) throws IOException {
        ScenarioParser p = new ScenarioParser();
        p.parseFile(file, file.toString());
        if (p.tasks.isEmpty()) {
            throw new ScenarioException(file + ": no task declared (task NAME mm MM ... end)");
        }
        return new Scenario(p.locks, p.completions, p.filesystems, p.procs, p.shrinkers, p.files, p.mms, p.maps,
                p.tasks, p.variants, p.memory == null ? Scenario.Memory.ok : p.memory, p.cpus == 0 ? 2 : p.cpus);
    }

    /** Parses text (for tests); includes resolve against the working directory. */
    public static Scenario parse(String name, String text) {
        ScenarioParser p = new ScenarioParser();
        p.parseText(name, Path.of("."), text);
        return new Scenario(p.locks, p.completions, p.filesystems, p.procs, p.shrinkers, p.files, p.mms, p.maps,
                p.tasks, p.variants, p.memory == null ? Scenario.Memory.ok : p.memory, p.cpus == 0 ? 2 : p.cpus);
    }

    private void parseFile(Path file, String display) throws IOException {
        Path norm = file.toAbsolutePath().normalize();
        if (!included.add(norm)) {
            return;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        parseText(display, file.getParent() == null ? Path.of(".") : file.getParent(), text);
    }

    /** The lines of one file, as token lists. */
    private static final class Lines {
        final String file;
        final Path dir;
        final List<List<String>> toks = new ArrayList<>();
        final List<Integer> nums = new ArrayList<>();
        int i;

        Lines(String file, Path dir) {
            this.file = file;
            this.dir = dir;
        }

        boolean more() {
            return i < toks.size();
        }

        Src src() {
            return new Src(file, nums.get(i));
        }
    }

    private void parseText(String name, Path dir, String text) {
        Lines ls = new Lines(name, dir);
        String[] raw = text.split("\n", -1);
        for (int n = 0; n < raw.length; n++) {
            List<String> t = tokenize(raw[n], new Src(name, n + 1));
            if (!t.isEmpty()) {
                ls.toks.add(t);
                ls.nums.add(n + 1);
            }
        }
        while (ls.more()) {
            topLevel(ls);
        }
    }

    /** Words, quoted strings, and the punctuation {@code ( ) , =} as tokens; {@code #} ends the line. */
    static List<String> tokenize(String line, Src src) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '#') {
                break;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',' || c == '=') {
                out.add(String.valueOf(c));
                i++;
            } else if (c == '"') {
                int j = line.indexOf('"', i + 1);
                if (j < 0) {
                    throw new ScenarioException(src, "unterminated string");
                }
                out.add(line.substring(i, j + 1));
                i = j + 1;
            } else {
                int j = i;
                while (j < n && !Character.isWhitespace(line.charAt(j)) && "(),=#\"".indexOf(line.charAt(j)) < 0) {
                    j++;
                }
                out.add(line.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    private void topLevel(Lines ls) {
        Src src = ls.src();
        Tok t = new Tok(ls.toks.get(ls.i), src);
        ls.i++;
        String kw = t.word("a declaration");
        switch (kw) {
            case "include" -> {
                String path = unquote(t.word("a file name after include"));
                t.end();
                try {
                    parseFile(ls.dir.resolve(path), ls.dir.resolve(path).normalize().toString());
                } catch (NoSuchFileException e) {
                    throw new ScenarioException(src, "include " + path + ": no such file");
                } catch (IOException e) {
                    throw new ScenarioException(src, "include " + path + ": cannot read: " + e.getMessage());
                }
            }
            case "lock" -> {
                String n = fresh(t.word("a lock name"), src);
                String k = t.word("a lock kind (mutex, rwsem, spinlock, glock, pagecache)");
                Kind kind = enumOf(Kind.class, k, src, "lock kind");
                String lname = unquote(t.word(kind == Kind.glock ? "the glock type number" : "the lockdep name"));
                checkName(lname, "lock " + n, src);
                if (kind == Kind.glock && !lname.matches("[0-9]+")) {
                    throw new ScenarioException(src, "glock " + n + ": type must be a number (2 = inode), not " + lname);
                }
                Per per;
                String w = t.word("per file, per mm or global");
                if (w.equals("global")) {
                    per = Per.global;
                } else if (w.equals("per")) {
                    per = enumOf(Per.class, t.word("file or mm after per"), src, "per");
                } else {
                    throw new ScenarioException(src, "expected 'per file', 'per mm' or 'global', found '" + w + "'");
                }
                t.end();
                locks.put(n, new LockDecl(n, kind, lname, per, src));
            }
            case "completion" -> {
                String n = fresh(t.word("a completion name"), src);
                String lname = t.has() && !t.peek("by") ? unquote(t.word("a lockdep map name")) : null;
                if (lname != null) {
                    checkName(lname, "completion " + n, src);
                }
                List<String> by = new ArrayList<>();
                if (t.accept("by")) {
                    do {
                        by.add(t.word("a task that may signal " + n));
                    } while (t.has());
                }
                t.end();
                completions.put(n, new CompletionDecl(n, lname, List.copyOf(by), src));
            }
            case "fs" -> {
                String n = t.word("a file-system name");
                t.expect("fault");
                String p = t.word("the fault procedure");
                t.end();
                filesystems.put(n, new FsDecl(n, p, src));
            }
            case "shrinker" -> {
                shrinkers.add(call(t, src));
                t.end();
            }
            case "memory" -> {
                memory = enumOf(Scenario.Memory.class, t.word("ok, tight or maybe"), src, "memory");
                t.end();
            }
            case "cpus" -> {
                cpus = t.number("a CPU count", 1, 64);
                t.end();
            }
            case "file" -> {
                String n = fresh(t.word("a file name"), src);
                String fs = t.word("the file's file system");
                long ino = t.number("an inode number", 1, Integer.MAX_VALUE);
                t.end();
                files.put(n, new FileDecl(n, fs, ino, src));
            }
            case "mm" -> {
                String n = fresh(t.word("an mm name"), src);
                t.end();
                mms.put(n, new MmDecl(n, src));
            }
            case "map" -> {
                String n = fresh(t.word("a mapping name"), src);
                String mm = t.word("the mm it is mapped in");
                String f = t.word("the mapped file");
                boolean res = false;
                if (t.has()) {
                    t.expect("resident");
                    res = true;
                }
                t.end();
                maps.put(n, new MapDecl(n, mm, f, res, src));
            }
            case "proc" -> {
                String n = fresh(t.word("a procedure name"), src);
                List<String> params = new ArrayList<>();
                if (t.has()) {
                    t.expect("(");
                    if (!t.peek(")")) {
                        do {
                            params.add(t.word("a parameter name"));
                        } while (t.accept(","));
                    }
                    t.expect(")");
                }
                t.end();
                procs.put(n, new Proc(n, params, body(ls, src, false), src));
            }
            case "task", "remote" -> {
                boolean remote = kw.equals("remote");
                String n = t.word("a task name");
                if (!n.chars().allMatch(c -> c > ' ' && c < 127)) {
                    throw new ScenarioException(src, kw + " " + n + ": a task name must be printable ASCII");
                }
                for (TaskDecl d : tasks) {
                    if (d.name().equals(n)) {
                        throw new ScenarioException(src, "task " + n + " already declared at " + d.src());
                    }
                }
                String mm = null;
                boolean service = false;
                while (t.has()) {
                    String w = t.word("mm MM or service");
                    if (w.equals("mm") && !remote) {
                        mm = t.word("the task's mm");
                    } else if (w.equals("service") && !remote) {
                        service = true;
                    } else {
                        throw new ScenarioException(src, "unexpected '" + w + "' after " + kw + " " + n);
                    }
                }
                if (!remote && mm == null) {
                    throw new ScenarioException(src, "task " + n + ": missing 'mm MM'");
                }
                tasks.add(new TaskDecl(n, mm, service, remote, body(ls, src, remote), src));
            }
            case "variant" -> {
                String n = t.word("a variant name");
                Map<String, String> rep = new LinkedHashMap<>();
                while (t.has()) {
                    String a = t.word("PROC=REPLACEMENT");
                    t.expect("=");
                    rep.put(a, t.word("the replacement procedure"));
                }
                if (rep.isEmpty()) {
                    throw new ScenarioException(src, "variant " + n + ": expected PROC=REPLACEMENT ...");
                }
                if (variants.containsKey(n)) {
                    throw new ScenarioException(src, "variant " + n + " already declared at " + variants.get(n).src());
                }
                variants.put(n, new Variant(n, rep, src));
            }
            case "end" -> throw new ScenarioException(src, "'end' without a block to close");
            default -> throw new ScenarioException(src, "unknown declaration '" + kw
                    + "' (expected include, lock, completion, fs, shrinker, memory, cpus, file, mm, map, proc, task, remote, variant)");
        }
    }

    private List<Stmt> body(Lines ls, Src open, boolean remote) {
        List<Stmt> out = new ArrayList<>();
        while (true) {
            if (!ls.more()) {
                throw new ScenarioException(open, "block is not closed: missing 'end'");
            }
            Src src = ls.src();
            Tok t = new Tok(ls.toks.get(ls.i), src);
            ls.i++;
            String kw = t.word("a statement");
            if (kw.equals("end")) {
                t.end();
                return out;
            }
            out.add(statement(kw, t, ls, src, remote));
        }
    }

    private Stmt statement(String kw, Tok t, Lines ls, Src src, boolean remote) {
        Stmt s;
        switch (kw) {
            case "lock" -> {
                LockRef r = ref(t);
                String mode = t.has() && !t.peek("unless") ? t.word("a mode") : null;
                s = new Scenario.Lock(r, mode, unlessMine(t), src);
            }
            case "unlock" -> s = new Scenario.Unlock(ref(t), unlessMine(t), src);
            case "call" -> s = new Scenario.CallStmt(call(t, src), src);
            case "touch" -> s = new Scenario.Touch(t.word("a mapping"), src);
            case "gup" -> s = new Scenario.Gup(t.word("a mapping"), src);
            case "alloc" -> s = new Scenario.Alloc(src);
            case "wait" -> s = new Scenario.Wait(t.word("a completion"), src);
            case "signal" -> s = new Scenario.Signal(t.word("a completion"), src);
            case "demote" -> s = new Scenario.Demote(ref(t), src);
            case "release" -> s = new Scenario.RemoteRelease(ref(t), src);
            case "loop", "retry" -> {
                int n = t.number("an iteration count", 1, 1_000_000_000);
                t.end();
                return new Block(BlockKind.valueOf(kw), n, null, body(ls, src, remote), src);
            }
            case "pagefault_disabled", "nofs", "maybe" -> {
                t.end();
                return new Block(BlockKind.valueOf(kw), 0, null, body(ls, src, remote), src);
            }
            case "faults_disabled", "signalling" -> {
                String a = t.word(kw.equals("signalling") ? "a completion" : "a file");
                t.end();
                return new Block(BlockKind.valueOf(kw), 0, a, body(ls, src, remote), src);
            }
            case "if" -> {
                t.expect("failed");
                t.end();
                return new Block(BlockKind.if_failed, 0, null, body(ls, src, remote), src);
            }
            default -> throw new ScenarioException(src, "unknown statement '" + kw
                    + "' (expected lock, unlock, call, touch, gup, alloc, wait, signal, loop, retry, "
                    + "pagefault_disabled, nofs, faults_disabled, signalling, if failed, maybe, demote, release, end)");
        }
        t.end();
        boolean remoteOnly = s instanceof Scenario.Demote || s instanceof Scenario.RemoteRelease;
        if (remoteOnly != remote) {
            throw new ScenarioException(src, remote ? "a remote actor can only demote and release glocks"
                    : "'" + kw + "' is for remote actors only");
        }
        return s;
    }

    private static LockRef ref(Tok t) {
        String l = t.word("a lock name");
        String arg = null;
        if (t.accept("(")) {
            arg = t.word("the lock's object");
            t.expect(")");
        }
        return new LockRef(l, arg);
    }

    /** An optional trailing {@code unless mine}. */
    private static boolean unlessMine(Tok t) {
        if (!t.accept("unless")) {
            return false;
        }
        t.expect("mine");
        return true;
    }

    private static Call call(Tok t, Src src) {
        String p = t.word("a procedure name");
        List<String> args = new ArrayList<>();
        if (t.accept("(")) {
            if (!t.peek(")")) {
                do {
                    args.add(t.word("an argument"));
                } while (t.accept(","));
            }
            t.expect(")");
        }
        return new Call(p, args, src);
    }

    private String fresh(String name, Src src) {
        for (Map<String, ? extends Record> m : List.of(locks, completions, procs, files, mms, maps)) {
            if (m.containsKey(name)) {
                throw new ScenarioException(src, "'" + name + "' is already declared at " + srcOf(m.get(name)));
            }
        }
        return name;
    }

    private static String srcOf(Record r) {
        if (r instanceof LockDecl d) {
            return d.src().toString();
        } else if (r instanceof CompletionDecl d) {
            return d.src().toString();
        } else if (r instanceof Proc d) {
            return d.src().toString();
        } else if (r instanceof FileDecl d) {
            return d.src().toString();
        } else if (r instanceof MmDecl d) {
            return d.src().toString();
        } else if (r instanceof MapDecl d) {
            return d.src().toString();
        }
        return "?";
    }

    private static <E extends Enum<E>> E enumOf(Class<E> c, String w, Src src, String what) {
        for (E e : c.getEnumConstants()) {
            if (e.name().equals(w)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : c.getEnumConstants()) {
            names.add(e.name());
        }
        throw new ScenarioException(src, "unknown " + what + " '" + w + "' (expected " + String.join(", ", names) + ")");
    }

    private static void checkName(String name, String what, Src src) {
        if (name.isEmpty() || name.length() > MAX_NAME || !name.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new ScenarioException(src, what + ": the lockdep name must be 1 to " + MAX_NAME
                    + " printable ASCII characters without spaces");
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** A cursor over one line's tokens. */
    private static final class Tok {
        final List<String> toks;
        final Src src;
        int i;

        Tok(List<String> toks, Src src) {
            this.toks = toks;
            this.src = src;
        }

        boolean has() {
            return i < toks.size();
        }

        boolean peek(String s) {
            return has() && toks.get(i).equals(s);
        }

        boolean accept(String s) {
            if (peek(s)) {
                i++;
                return true;
            }
            return false;
        }

        void expect(String s) {
            if (!accept(s)) {
                throw new ScenarioException(src, "expected '" + s + "'" + (has() ? ", found '" + toks.get(i) + "'" : " at end of line"));
            }
        }

        String word(String what) {
            if (!has()) {
                throw new ScenarioException(src, "expected " + what + " at end of line");
            }
            String w = toks.get(i);
            if (w.length() == 1 && "(),=".contains(w)) {
                throw new ScenarioException(src, "expected " + what + ", found '" + w + "'");
            }
            i++;
            return w;
        }

        int number(String what, int min, int max) {
            String w = word(what);
            try {
                int v = Integer.parseInt(w);
                if (v < min || v > max) {
                    throw new ScenarioException(src, what + " must be between " + min + " and " + max + ", not " + v);
                }
                return v;
            } catch (NumberFormatException e) {
                throw new ScenarioException(src, "expected " + what + ", found '" + w + "'");
            }
        }

        void end() {
            if (has()) {
                throw new ScenarioException(src, "unexpected '" + toks.get(i) + "' at end of line");
            }
        }
    }
}
