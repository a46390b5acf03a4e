package dev.lockscope.repl;

import dev.lockscope.analysis.GraphIndex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** Completion candidates for a CLASS argument: every class of the loaded graph, in name order. */
final class ClassNames implements Iterable<String> {
    private final Session session;

    /** For picocli's default factory (man pages): no session, no candidates. */
    ClassNames() {
        this(null);
    }

    ClassNames(Session session) {
        this.session = session;
    }

    @Override
    public Iterator<String> iterator() {
        GraphIndex index = session == null ? null : session.indexOrNull();
        if (index == null) {
            return Collections.emptyIterator();
        }
        List<String> names = new ArrayList<>();
        for (int c : index.classes(null)) {
            names.add(index.name(c));
        }
        return names.iterator();
    }
}
