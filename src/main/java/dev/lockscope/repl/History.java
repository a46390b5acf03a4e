package dev.lockscope.repl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The REPL's history file: {@code $XDG_STATE_HOME/lockscope/history} (default
 * {@code ~/.local/state/lockscope/history}), one command per line, each command once: when a
 * command is repeated only its latest use is kept, so the file never fills with repeats.
 */
final class History {
    private History() {
    }

    /** The history file for this environment; null when there is no home to put it in. */
    static Path defaultFile(Map<String, String> env) {
        String state = env.get("XDG_STATE_HOME");
        if (state != null && !state.isEmpty() && Path.of(state).isAbsolute()) {
            return Path.of(state, "lockscope", "history");
        }
        String home = env.get("HOME");
        return home == null || home.isEmpty() ? null : Path.of(home, ".local", "state", "lockscope", "history");
    }

    /** Rewrites the file keeping only the last occurrence of each line, in order; missing files are created empty. */
    static void dedupe(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!Files.exists(file)) {
                return;
            }
            List<String> lines = Files.readAllLines(file);
            LinkedHashSet<String> kept = new LinkedHashSet<>();
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    kept.add(lines.get(i));
                }
            }
            List<String> ordered = new ArrayList<>(kept);
            java.util.Collections.reverse(ordered);
            if (ordered.size() != lines.size()) {
                Files.write(file, ordered);
            }
        } catch (IOException e) {
            // history is a convenience: a read-only or odd state directory must not stop the repl
        }
    }
}
