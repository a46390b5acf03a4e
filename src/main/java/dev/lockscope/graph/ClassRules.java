package dev.lockscope.graph;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the trace text cannot say about a lock class, as a table of glob rules. ftrace prints
 * only a lock's name: not {@code check=0}, not read=1 versus read=2, not lockdep's {@code #N}
 * class split. The built-in table ({@code known-classes.txt}) covers a 6.1 kernel; users add
 * rules with {@code --class-rules FILE} and {@code --recursive-read GLOB}. Later rules win, and
 * {@code no-ATTR} clears an attribute.
 *
 * <ul>
 *   <li>{@code novalidate}: acquired with {@code check=0} (rcu_read_lock, srcu, novalidate
 *       classes): pushed on the held stack but never validated and never an edge end.</li>
 *   <li>{@code recursive-read}: traced reads of this class are recursive (read=2: seqcounts,
 *       rwlock readers), which lockdep lets nest and which a queued writer does not block.</li>
 *   <li>{@code aliased}: one name, several lockdep classes (one per file-system type, per init
 *       site, per subclass); a cycle through it may exist only in the name.</li>
 * </ul>
 */
public final class ClassRules {
    public static final int NOVALIDATE = 1;
    public static final int RECURSIVE_READ = 2;
    public static final int ALIASED = 4;

    private record Rule(String glob, int set, int clear, String origin) {
    }

    private final List<Rule> rules = new ArrayList<>();

    /** The built-in table only. */
    public static ClassRules defaults() {
        ClassRules r = new ClassRules();
        try (InputStream in = ClassRules.class.getResourceAsStream("known-classes.txt")) {
            r.load(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), "known-classes.txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    public static ClassRules none() {
        return new ClassRules();
    }

    /** Adds the rules of a user file; a bad line throws {@link IllegalArgumentException} with file:line. */
    public void load(Path file) throws IOException {
        try (BufferedReader br = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            load(br, file.toString());
        }
    }

    private void load(BufferedReader br, String origin) throws IOException {
        String line;
        int n = 0;
        while ((line = br.readLine()) != null) {
            n++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            int sp = s.indexOf(' ');
            if (sp < 0) {
                throw new IllegalArgumentException(origin + ":" + n + ": expected '<attribute> <glob>', got '" + s + "'");
            }
            add(s.substring(0, sp), s.substring(sp + 1).strip(), origin + ":" + n);
        }
    }

    /** Adds one rule; {@code attribute} is novalidate, recursive-read, aliased or no-&lt;one of them&gt;. */
    public void add(String attribute, String glob, String origin) {
        String a = attribute.toLowerCase(Locale.ROOT);
        boolean clear = a.startsWith("no-");
        int bit = switch (clear ? a.substring(3) : a) {
            case "novalidate" -> NOVALIDATE;
            case "recursive-read" -> RECURSIVE_READ;
            case "aliased" -> ALIASED;
            default -> throw new IllegalArgumentException(origin + ": unknown class attribute '" + attribute
                    + "' (expected novalidate, recursive-read, aliased, or no-<attribute>)");
        };
        rules.add(new Rule(glob, clear ? 0 : bit, clear ? bit : 0, origin));
    }

    /** The attribute bits for one class name. */
    public int flagsFor(String name) {
        int f = 0;
        for (Rule r : rules) {
            if (Glob.matches(r.glob, name)) {
                f = (f | r.set) & ~r.clear;
            }
        }
        return f;
    }
}
