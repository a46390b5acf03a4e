package dev.lockscope.cli;

import dev.lockscope.graph.ClassGraph;
import dev.lockscope.snapshot.GraphSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** --save-graph: the analysed class graph as a snapshot file (a picocli mixin). */
public final class SaveGraphOption {
    @Option(names = "--save-graph", paramLabel = "FILE",
            description = "Also write the analysed class graph as a snapshot (classes, dependencies with types and "
                    + "counts, chains, first witnesses, inputs) that every command reads in place of a trace and "
                    + "lockscope merge combines; refuses to replace FILE without --force.")
    Path file;

    /** Fails early, before any work, when the file exists and {@code force} is not given. */
    void check(boolean force) {
        if (file != null && Files.exists(file) && !force) {
            throw new UserError(ExitCode.USAGE, file + ": exists; use --force to replace it");
        }
    }

    void save(Supplier<ClassGraph> graph) {
        if (file != null) {
            ClassGraph g = graph.get();
            OutputFile.writeFile(file, pw -> GraphSnapshot.write(g, pw));
        }
    }
}
