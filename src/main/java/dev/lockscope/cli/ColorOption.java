package dev.lockscope.cli;

import dev.lockscope.report.Colors;
import picocli.CommandLine.Option;

/** --color for text reports (a picocli mixin): auto colours a terminal unless NO_COLOR is set. */
public final class ColorOption {
    enum Mode { auto, always, never }

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colour the text report: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: only when "
                    + "standard output is a terminal and NO_COLOR is unset or empty).")
    Mode mode = Mode.auto;

    /** The colours for a report written to standard output ({@code toStdout}) or to a file. */
    Colors colors(boolean toStdout) {
        return decide(mode, System.getenv("NO_COLOR"), toStdout && System.console() != null);
    }

    /** The rule, apart from the process: always and never win; auto needs a terminal and no NO_COLOR. */
    static Colors decide(Mode mode, String noColorEnv, boolean terminal) {
        return switch (mode) {
            case always -> new Colors(true);
            case never -> Colors.NONE;
            case auto -> new Colors(terminal && (noColorEnv == null || noColorEnv.isEmpty()));
        };
    }
}
