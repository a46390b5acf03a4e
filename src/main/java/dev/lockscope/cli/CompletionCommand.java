package dev.lockscope.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lockscope completion bash|zsh}: a completion script for the shell (picocli AutoComplete). */
@Command(name = "completion",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Print a shell completion script for lockscope's commands, options and option values.",
            "",
            "bash: source it from ~/.bashrc, or save it as ~/.local/share/bash-completion/completions/lockscope. "
                + "zsh: source it from ~/.zshrc (the script loads zsh's bashcompinit itself).",
        },
        footerHeading = "%nExamples%n",
        footer = {
            "  lockscope completion bash > ~/.local/share/bash-completion/completions/lockscope",
            "  lockscope completion zsh",
        })
public final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    @CommandLine.Mixin
    ExitCode exitCodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "${COMPLETION-CANDIDATES}")
    Shell shell;

    @Override
    public Integer call() {
        CommandLine root = spec.commandLine().getParent();
        // one script for both: under zsh it loads compinit and bashcompinit itself (see its header)
        String script = AutoComplete.bash("lockscope", root);
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
