package dev.lockscope.cli;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.Finding;
import dev.lockscope.check.Baseline;
import dev.lockscope.check.CheckFindings;
import dev.lockscope.check.FailKind;
import dev.lockscope.report.CheckReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lockscope check}: a CI gate that fails on findings its baseline does not accept. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Gate CI on captured lock traces: analyse TRACEs (a directory stands for the files in it, in name "
                + "order) as analyze does, and exit 4 when a finding of a --fail-on kind is not in the baseline.",
            "",
            "A finding's identity is its kind and its classes (and modes), never addresses, pids or times, "
                + "so it matches across runs and hosts: e.g. 'cycle:&a->lock &b->lock' or "
                + "'recursion:&inode->i_lock W->W'. The baseline file holds one identity per line; text after "
                + "' #' and lines starting with '#' are reasons. Entries no finding has any more are reported "
                + "as stale. The baseline is written only with --update-baseline (atomically).",
        },
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope check --baseline samples/lockscope-baseline.txt samples/traces/",
            "  lockscope check --baseline samples/lockscope-baseline.txt --format junit samples/traces/lockinv-mutex.trace > lockscope.xml",
            "  lockscope check --fail-on unbalanced,recursion samples/traces/lockinv-mutex.trace",
        })
public final class CheckCommand implements Callable<Integer> {

    enum OutputFormat { text, json, junit }

    @CommandLine.Mixin
    ExitCode exitCodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TraceInputs in;

    @CommandLine.Mixin
    OutputFile out;

    @CommandLine.Mixin
    SaveGraphOption saveGraph;

    @CommandLine.Mixin
    ColorOption color;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "Accepted findings, one identity per line ('#' for reasons). Without it every finding is new.")
    Path baselineFile;

    @Option(names = "--update-baseline",
            description = "Rewrite --baseline FILE to hold exactly this run's findings (keeping comments and the lines "
                    + "of findings still present, appending new ones) and exit 0; creates FILE if missing.")
    boolean update;

    @Option(names = "--fail-on", paramLabel = "KIND", split = ",",
            description = "Kinds that fail the check: cycle, feasible-cycle (verdict deadlock), recursion (also nested "
                    + "acquisition), irq, unbalanced (default: all).")
    List<String> failOn = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; junit has one test "
                    + "case per finding).")
    OutputFormat format;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        Set<FailKind> kinds = kinds(cl);
        if (update && baselineFile == null) {
            throw new CommandLine.ParameterException(cl, "--update-baseline needs --baseline FILE");
        }
        out.check();
        saveGraph.check(out.force);
        Baseline baseline = readBaseline();
        in.inputs = expandDirectories(in.inputs);
        Analysis a = in.analyse(cl);
        saveGraph.save(in::classGraph);
        CheckFindings.Result r = CheckFindings.check(a, kinds, baseline);
        String name = baselineFile == null ? null : baselineFile.toString();
        CheckReport report = new CheckReport(a.inputs(), kinds, name, r);
        out.write(pw -> {
            switch (format) {
                case json -> report.json(pw, VersionProvider.version());
                case junit -> report.junit(pw);
                default -> report.text(pw, color.colors(out.output == null));
            }
        });
        if (update) {
            writeBaseline(cl, a, baseline, r);
            return ExitCode.OK;
        }
        return r.failed() ? ExitCode.NEW_FINDINGS : ExitCode.OK;
    }

    private Set<FailKind> kinds(CommandLine cl) {
        if (failOn.isEmpty()) {
            return CheckFindings.allKinds();
        }
        Set<FailKind> k = EnumSet.noneOf(FailKind.class);
        for (String s : failOn) {
            try {
                k.add(FailKind.parse(s));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--fail-on: " + e.getMessage());
            }
        }
        return k;
    }

    private Baseline readBaseline() {
        if (baselineFile == null) {
            return Baseline.empty();
        }
        try {
            return Baseline.read(baselineFile);
        } catch (NoSuchFileException e) {
            if (update) {
                return Baseline.empty();
            }
            throw new UserError(ExitCode.INPUT, baselineFile + ": no such file (create it with --update-baseline)");
        } catch (IOException e) {
            throw new UserError(ExitCode.INPUT, baselineFile + ": cannot read: " + e.getMessage());
        }
    }

    private void writeBaseline(CommandLine cl, Analysis a, Baseline old, CheckFindings.Result r) {
        Set<String> present = new HashSet<>();
        for (Finding f : CheckFindings.gateable(a)) {
            present.add(f.identity());
        }
        List<String> added = r.findings().stream().filter(CheckFindings.Gated::isNew).map(CheckFindings.Gated::identity)
                .toList();
        Baseline next = old.updated(present, added);
        OutputFile.writeFile(baselineFile, pw -> pw.print(next.text()));
        cl.getErr().println("lockscope: " + baselineFile + ": " + added.size() + " added, " + r.stale().size()
                + " stale removed");
        cl.getErr().flush();
    }

    /** A directory argument stands for its regular, non-hidden files in name order. */
    static List<String> expandDirectories(List<String> args) {
        List<String> outList = new ArrayList<>();
        for (String arg : args) {
            Path p = Path.of(arg);
            if (!"-".equals(arg) && Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    List<String> files = s.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .map(Path::toString).sorted().toList();
                    if (files.isEmpty()) {
                        throw new UserError(ExitCode.INPUT, arg + ": no trace files in directory");
                    }
                    outList.addAll(files);
                } catch (IOException e) {
                    throw new UserError(ExitCode.INPUT, arg + ": cannot list: " + e.getMessage());
                }
            } else {
                outList.add(arg);
            }
        }
        return outList;
    }
}
