package dev.lockscope.repl;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Completes positional parameters from their picocli {@code completionCandidates} (class names
 * for CLASS, FROM, TO, GLOB), which picocli-shell-jline3's completer leaves out: it completes
 * command names, options and option values only. The word being completed is matched after
 * JLine's parser has removed quotes, and JLine quotes the chosen candidate as needed.
 */
final class PositionalCompleter implements Completer {
    private final CommandLine root;

    PositionalCompleter(CommandLine root) {
        this.root = root;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int current = line.wordIndex();
        if (current < 1) {
            return;
        }
        CommandLine cmd = root.getSubcommands().get(words.get(0));
        if (cmd == null) {
            return;
        }
        int position = 0;
        for (int i = 1; i < current; i++) {
            String w = words.get(i);
            if (w.startsWith("-")) {
                OptionSpec o = cmd.getCommandSpec().findOption(w);
                if (o != null && o.arity().max() > 0) {
                    i++;
                }
            } else {
                position++;
            }
        }
        String prefix = line.word().substring(0, line.wordCursor());
        for (PositionalParamSpec p : cmd.getCommandSpec().positionalParameters()) {
            if (p.index().contains(position) && p.completionCandidates() != null) {
                for (String c : p.completionCandidates()) {
                    if (c.startsWith(prefix)) {
                        candidates.add(new Candidate(c, c, null, null, null, null, true));
                    }
                }
                return;
            }
        }
    }
}
