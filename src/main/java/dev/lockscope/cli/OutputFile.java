package dev.lockscope.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where a command writes (a picocli mixin): standard output, or {@code -o FILE}, which replaces
 * an existing file only with {@code --force} and is written atomically (a temporary file in the
 * same directory, moved over it when complete).
 */
final class OutputFile {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write to FILE instead of standard output (refuses to replace an existing file without --force).")
    Path output;

    @Option(names = "--force", description = "Allow --output to replace an existing file.")
    boolean force;

    /** What is written. */
    interface Body {
        void write(PrintWriter out) throws IOException;
    }

    /** Refuses an existing --output without --force (exit 2), before any input is read. */
    void check() {
        if (output != null && Files.exists(output) && !force) {
            throw new UserError(ExitCode.USAGE, output + ": exists; use --force to replace it");
        }
    }

    void write(Body body) {
        try {
            if (output == null) {
                PrintWriter out = spec.commandLine().getOut();
                body.write(out);
                out.flush();
                return;
            }
            writeAtomically(output, body);
        } catch (IOException e) {
            throw new UserError(ExitCode.INPUT, (output == null ? "<stdout>" : output) + ": cannot write: " + e.getMessage());
        }
    }

    /**
     * Writes {@code file} through a temporary file in its directory and a rename, so readers never
     * see half of it; the file keeps the permissions of the one it replaces (new files: rw-r--r--).
     */
    static void writeAtomically(Path file, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".lockscope-", ".tmp");
        try {
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, Files.exists(file) ? Files.getPosixFilePermissions(file)
                        : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8),
                    1 << 16); PrintWriter pw = new PrintWriter(w)) {
                body.write(pw);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** As {@link #writeAtomically(Path, Body)}, for files other than --output; a failure is exit 3. */
    static void writeFile(Path file, Body body) {
        try {
            writeAtomically(file, body);
        } catch (IOException e) {
            throw new UserError(ExitCode.INPUT, file + ": cannot write: " + e.getMessage());
        }
    }
}
