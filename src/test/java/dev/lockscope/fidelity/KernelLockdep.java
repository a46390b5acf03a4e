package dev.lockscope.fidelity;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tukaani.xz.XZInputStream;

/**
 * The kernel's own /proc/lockdep of a boot, reduced to what a trace can name: class names
 * without lockdep's {@code #N} (key version) and {@code /N} (subclass) suffixes, and the
 * direct dependencies ({@code -> [key] name} lines) between those names.
 */
final class KernelLockdep {
    private static final Pattern CLASS = Pattern.compile("^[0-9a-f]+ FD:\\s*\\d+ BD:\\s*\\d+ .{4}: (.*)$");
    private static final Pattern DEP = Pattern.compile("^ -> \\[[0-9a-f]+\\] (.*)$");
    private static final Pattern SUFFIX = Pattern.compile("(#\\d+)?(/\\d+)?$");

    final Set<String> classes = new HashSet<>();
    final Set<String> edges = new HashSet<>();
    /** From /proc/lockdep_chains: "prev -> next" for every chain ending in next that holds prev below it. */
    final Set<String> chainPairs = new HashSet<>();

    static String base(String name) {
        Matcher m = SUFFIX.matcher(name);
        return m.find() ? name.substring(0, m.start()) : name;
    }

    static KernelLockdep read(Path lockdepXz) throws IOException {
        KernelLockdep k = new KernelLockdep();
        try (BufferedReader br = new BufferedReader(new InputStreamReader(
                new XZInputStream(Files.newInputStream(lockdepXz)), StandardCharsets.UTF_8))) {
            String cls = null;
            String line;
            while ((line = br.readLine()) != null) {
                Matcher c = CLASS.matcher(line);
                if (c.matches()) {
                    cls = base(c.group(1));
                    k.classes.add(cls);
                    continue;
                }
                Matcher d = DEP.matcher(line);
                if (d.matches() && cls != null) {
                    k.edges.add(cls + " -> " + base(d.group(1)));
                }
            }
        }
        Path chains = lockdepXz.resolveSibling("lockdep_chains.txt.xz");
        try (BufferedReader br = new BufferedReader(new InputStreamReader(
                new XZInputStream(Files.newInputStream(chains)), StandardCharsets.UTF_8))) {
            java.util.List<String> chain = new java.util.ArrayList<>();
            String line;
            while ((line = br.readLine()) != null) {
                if (line.startsWith("[")) {
                    chain.add(base(line.substring(line.indexOf("] ") + 2)));
                } else {
                    k.addChain(chain);
                    chain.clear();
                }
            }
            k.addChain(chain);
        }
        return k;
    }

    private void addChain(java.util.List<String> chain) {
        if (chain.size() < 2) {
            return;
        }
        String next = chain.get(chain.size() - 1);
        for (int i = 0; i < chain.size() - 1; i++) {
            chainPairs.add(chain.get(i) + " -> " + next);
        }
    }
}
