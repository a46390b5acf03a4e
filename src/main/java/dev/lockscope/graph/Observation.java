package dev.lockscope.graph;

import dev.lockscope.model.HeldLock;
import dev.lockscope.model.Witness;

/**
 * Something the engine saw on one acquisition or release that is not a dependency: a same-class
 * acquisition, a bad unlock, a held-stack overflow. Grouped by {@code key} (kind + classes +
 * modes); the first occurrence is kept as witness and the rest are counted.
 */
public final class Observation {
    public enum Kind {
        /** The same lock instance acquired again by the task holding it. */
        RECURSIVE,
        /** Another instance of a class the task holds, without a nesting annotation in the trace. */
        NESTED_CLASS,
        /** Release of a lock the task had already released (its acquire is inside the window). */
        UNBALANCED,
        /** More than MAX_LOCK_DEPTH (48) locks held. */
        DEPTH_OVERFLOW,
        /** A remote node's demote request for a glock a local task holds. */
        REMOTE_DEMOTE
    }

    public final Kind kind;
    public final String key;
    public final String cls;
    /** The held entry the acquisition collides with (recursion) or the earlier hold (unbalanced). */
    public final HeldLock prior;
    /** lockdep read state of the new acquisition. */
    public final int read;
    public final Witness witness;
    /** For UNBALANCED: the line of the release that already ended the hold. */
    public final long earlierRelease;
    long count;

    Observation(Kind kind, String key, String cls, HeldLock prior, int read, Witness witness, long earlierRelease) {
        this.kind = kind;
        this.key = key;
        this.cls = cls;
        this.prior = prior;
        this.read = read;
        this.witness = witness;
        this.earlierRelease = earlierRelease;
        this.count = 1;
    }

    public long count() {
        return count;
    }
}
