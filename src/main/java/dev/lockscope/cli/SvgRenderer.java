package dev.lockscope.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/** --svg: Graphviz's {@code dot -Tsvg} over the DOT text, into a temporary file renamed onto FILE. */
final class SvgRenderer {
    private SvgRenderer() {
    }

    /** Whether Graphviz's dot is on PATH. */
    static boolean available() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "dot"))) {
                return true;
            }
        }
        return false;
    }

    /** Fails early, before any work, without Graphviz. */
    static void require() {
        if (!available()) {
            throw new UserError(ExitCode.INPUT, "--svg needs Graphviz's dot on PATH (e.g. apt-get install graphviz); "
                    + "--format dot writes the DOT text without it");
        }
    }

    static void render(String dot, Path svg) {
        require();
        try {
            Path dir = svg.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".lockscope-", ".svg");
            try {
                Process p = new ProcessBuilder("dot", "-Tsvg", "-o", tmp.toString())
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                try (OutputStream in = p.getOutputStream()) {
                    in.write(dot.getBytes(StandardCharsets.UTF_8));
                }
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroy();
                    throw new UserError(ExitCode.INTERNAL, "dot did not finish within 120 s");
                }
                if (p.exitValue() != 0) {
                    throw new UserError(ExitCode.INTERNAL, "dot failed with exit status " + p.exitValue());
                }
                Files.move(tmp, svg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserError(ExitCode.INPUT, svg + ": cannot render: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(ExitCode.INTERNAL, "interrupted while rendering " + svg);
        }
    }
}
