package dev.lockscope.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The baseline file of {@code lockscope check}: accepted findings, one identity per line. A
 * line starting with {@code #} is a comment, and {@code " #"} starts a reason after an
 * identity; blank lines are ignored; surrounding white space is trimmed. The file is the
 * user's: an update keeps every comment and every line of a finding still present, drops the
 * lines of findings that are gone, and appends new findings at the end.
 *
 * @param lines the file's lines as written
 */
public record Baseline(List<String> lines) {

    public static final String HEADER = """
            # lockscope baseline: findings accepted for now, one identity per line (see lockscope check --help).
            # Write the reason after ' #' on the line, or on comment lines above it. lockscope check
            # --update-baseline keeps comments, drops findings that are gone and appends new ones.
            """;

    public static Baseline empty() {
        return new Baseline(List.of());
    }

    public static Baseline read(Path file) throws IOException {
        return new Baseline(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** The identity on a line, or null for comment and blank lines. */
    static String identity(String line) {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
            return null;
        }
        int hash = s.indexOf(" #");
        if (hash < 0) {
            hash = s.indexOf("\t#");
        }
        return (hash < 0 ? s : s.substring(0, hash)).strip();
    }

    /** Identity → its 1-based line number, in file order (a repeated identity keeps its first line). */
    public Map<String, Integer> entries() {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String id = identity(lines.get(i));
            if (id != null) {
                m.putIfAbsent(id, i + 1);
            }
        }
        return m;
    }

    /**
     * The baseline after a run that found {@code present}: lines of identities not in it are
     * dropped, {@code added} identities are appended (in the given order).
     */
    public Baseline updated(Set<String> present, List<String> added) {
        List<String> out = new ArrayList<>();
        if (lines.isEmpty()) {
            HEADER.lines().forEach(out::add);
        }
        for (String line : lines) {
            String id = identity(line);
            if (id == null || present.contains(id)) {
                out.add(line);
            }
        }
        out.addAll(added);
        return new Baseline(List.copyOf(out));
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }
}
