package dev.lockscope.analysis;

import dev.lockscope.model.HeldLock;
import dev.lockscope.model.Witness;
import java.util.List;

/** What analyze reports. Each kind is a record; reports switch over them. */
public sealed interface Finding {

    /** A stable identity across runs: kind plus classes (and modes), never addresses, pids or times. */
    String identity();

    /**
     * One edge of a cycle: {@code from -> to}, lockdep's dependency types ({@code EN,SR}), how
     * often it was exercised and its first witness with the read states seen there.
     */
    record CycleEdge(String from, String to, String types, long count, int fromRead, int toRead, long fromAddr,
                     long toAddr, Witness witness, boolean might, List<String> tasks, boolean moreTasks) {
    }

    /**
     * What a cycle costs on the hot path, from the trace: its classes' acquisitions over the
     * trace's time span, how many of those a tracker would validate (chain-cache misses) versus
     * look up (hits), and the waits on them (lock_contended → lock_acquired).
     */
    record CycleCost(long spanNs, long acquisitions, long newChains, long chainHits, long contentions, long waitNs) {
        public double seconds() {
            return spanNs / 1e9;
        }

        public double acquisitionsPerSecond() {
            return spanNs == 0 ? 0 : acquisitions / seconds();
        }

        public double newChainPercent() {
            long n = newChains + chainHits;
            return n == 0 ? 0 : 100.0 * newChains / n;
        }

        /** The share of one CPU spent tracking these acquisitions at {@code nsPerAcquire}. */
        public double cpuPercent(double nsPerAcquire) {
            return acquisitionsPerSecond() * nsPerAcquire / 1e9 * 100.0;
        }
    }

    /**
     * A circular lock dependency. {@code classes} is in lockdep's order: {@code classes[0]} is
     * the lock being acquired when the cycle closed ("next"), the last one is the lock held then
     * ("prev"); {@code edges[i]} goes from {@code classes[i]} to {@code classes[i+1]}, and the last
     * edge, {@code prev -> next}, is the one that closed the cycle.
     *
     * @param verdict {@code deadlock}, {@code name-aliased} or {@code shared} (not a deadlock by the strong-path rule)
     */
    record CircularDependency(int id, List<String> classes, List<String> usage, List<CycleEdge> edges, String verdict,
                              List<String> tags, List<String> notes, CycleCost cost) implements Finding {
        public String identity() {
            List<String> sorted = classes.stream().sorted().toList();
            return "cycle:" + String.join(" ", sorted);
        }

        public boolean isDeadlock() {
            return "deadlock".equals(verdict);
        }
    }

    /**
     * A task acquiring a class it already holds: the same instance ({@code recursive}) or
     * another instance of one class ({@code nested}, which lockdep needs an annotation for).
     */
    record Recursion(boolean sameInstance, String cls, String usage, HeldLock held, int read, long addr, long count,
                     boolean aliased, Witness witness) implements Finding {
        public String identity() {
            return (sameInstance ? "recursion:" : "nested:") + cls + " " + modeName(held.read()) + "->" + modeName(read);
        }
    }

    /** Release of a lock the task had already released; its acquire lies inside the trace. */
    record BadUnlock(String cls, long addr, long acquireLine, long earlierReleaseLine, long count, Witness witness)
            implements Finding {
        public String identity() {
            return "unbalanced:" + cls;
        }
    }

    /** More than MAX_LOCK_DEPTH locks held by one task. */
    record DepthOverflow(String cls, long count, Witness witness) implements Finding {
        public String identity() {
            return "depth";
        }
    }

    /**
     * lockdep's "inconsistent lock state": {@code cls} was used as {@code from} (e.g. IN-HARDIRQ-W)
     * and later as {@code to} (e.g. HARDIRQ-ON-W); each with the acquisition that set it.
     */
    record IrqInconsistent(String cls, String usage, String from, String to, Witness fromWitness, Witness toWitness,
                           boolean aliased) implements Finding {
        public String identity() {
            return "irq-inconsistent:" + cls + " " + from + "->" + to;
        }
    }

    /**
     * lockdep's "&lt;state&gt;-safe -&gt; &lt;state&gt;-unsafe lock order": a dependency path from a class
     * taken in irq context to one taken with that irq enabled.
     */
    record IrqOrder(String state, String safe, String safeUsage, String safeBit, Witness safeWitness, String unsafe,
                    String unsafeUsage, String unsafeBit, Witness unsafeWitness, List<CycleEdge> path,
                    boolean aliased) implements Finding {
        public String identity() {
            return "irq-order:" + state + " " + safe + " -> " + unsafe;
        }
    }

    /**
     * A remote gfs2 node asked for a glock ({@code gfs2_demote_rq ... remote}) that a local task
     * held: the holder delays the other node, and new local holders wait behind the demote.
     */
    record RemoteDemote(String cls, long addr, HeldLock holder, long count, Witness witness) implements Finding {
        public String identity() {
            return "remote-demote:" + cls;
        }
    }

    static String modeName(int read) {
        return switch (read) {
            case 0 -> "W";
            case 1 -> "R";
            default -> "RR";
        };
    }
}
