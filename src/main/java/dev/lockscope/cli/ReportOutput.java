package dev.lockscope.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Where a report goes: standard output, or a file written atomically and never replaced without --force. */
public final class ReportOutput {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the report to FILE instead of standard output (refuses to replace an existing file without --force).")
    Path output;

    @Option(names = "--force", description = "Allow --output to replace an existing file.")
    boolean force;

    /** Fails early, before any work, when the output file exists. */
    void check() {
        if (output != null && Files.exists(output) && !force) {
            throw new UserError(ExitCode.USAGE, output + ": exists; use --force to replace it");
        }
    }

    void write(CommandLine cl, Consumer<PrintWriter> report) {
        if (output == null) {
            PrintWriter out = cl.getOut();
            report.accept(out);
            out.flush();
            return;
        }
        writeAtomically(output, report);
    }

    /** The temporary file is private (0600): give it the replaced file's permissions, or rw-r--r--. */
    private static void keepPermissions(Path file, Path tmp) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Files.setPosixFilePermissions(tmp, Files.exists(file) ? Files.getPosixFilePermissions(file)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** Writes {@code file} through a temporary file in its directory and a rename: readers never see half of it. */
    static void writeAtomically(Path file, Consumer<PrintWriter> content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, ".lockscope-", ".tmp");
            try {
                keepPermissions(file, tmp);
                try (Writer w = new OutputStreamWriter(Files.newOutputStream(tmp), StandardCharsets.UTF_8);
                     PrintWriter pw = new PrintWriter(w)) {
                    content.accept(pw);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UserError(ExitCode.INPUT, file + ": cannot write: " + e.getMessage());
        }
    }
}
