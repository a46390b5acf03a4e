package dev.lockscope;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates ../shared (the real kernel captures and third-party corpora). Tests that need it are
 * skipped when it is absent; nothing from it is copied into the project.
 */
public final class Shared {
    private Shared() {
    }

    public static Path root() {
        String p = System.getProperty("lockscope.shared");
        Path candidate = p != null ? Path.of(p) : Path.of("..", "shared");
        return candidate.toAbsolutePath().normalize();
    }

    public static Path traces() {
        return root().resolve("traces").resolve("kernel-6.1");
    }

    public static boolean hasTraces() {
        return Files.isDirectory(traces());
    }
}
