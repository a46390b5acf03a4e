package dev.lockscope.cli;

import dev.lockscope.analysis.TraceAnalysis;
import dev.lockscope.graph.ClassGraph;
import dev.lockscope.graph.MergeClassGraphs;
import dev.lockscope.snapshot.GraphSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lockscope merge}: graph snapshots (or traces) in, one merged snapshot out. */
@Command(name = "merge",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Merge class graphs from many runs or hosts into one snapshot: classes and usage bits are united, "
                + "dependency types united and counts added, chains united, first witnesses the earliest by "
                + "input name and line. The result does not depend on the order of INPUTs or on how merges are "
                + "nested, so snapshots can be merged in any tree; a cycle may exist only in the merged graph.",
            "",
            "INPUT is a snapshot (from --save-graph or an earlier merge) or a trace, which is analysed on its own "
                + "first. Analyse the result like a trace: lockscope analyze all.graph",
        },
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope merge samples/traces/lockinv-mutex.trace samples/traces/lockinv-rwsem.trace.gz > all.graph",
            "  lockscope merge samples/lockinv-mutex.graph samples/traces/lockinv-rwsem.trace.gz > all.graph",
        })
public final class MergeCommand implements Callable<Integer> {

    @CommandLine.Mixin
    ExitCode exitCodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Snapshots or traces, or - for standard input.")
    List<String> inputs = new ArrayList<>();

    @CommandLine.Mixin
    InputOptions options;

    @Option(names = "--verbose", description = "Print stack traces of internal errors.")
    boolean verbose;

    @CommandLine.Mixin
    OutputFile out;

    @Override
    public Integer call() {
        out.check();
        if (inputs.stream().filter("-"::equals).count() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "standard input (-) can be given only once");
        }
        List<ClassGraph> parts = new ArrayList<>();
        for (String input : inputs) {
            TraceAnalysis[] run = new TraceAnalysis[1];
            TraceInputs.analyse(spec.commandLine(), options, null, List.of(input), run);
            parts.add(run[0].classGraph());
        }
        ClassGraph merged = MergeClassGraphs.mergeAll(parts);
        out.write(pw -> GraphSnapshot.write(merged, pw));
        return ExitCode.OK;
    }
}
