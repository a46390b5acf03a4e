package dev.lockscope.analysis;

import dev.lockscope.graph.Contention;
import dev.lockscope.graph.EngineStats;
import dev.lockscope.trace.ReadStats;
import java.util.List;

/**
 * Everything a report prints, sorted deterministically.
 *
 * @param cyclesOmitted cycles beyond {@code --max-cycles}, counted but not listed
 */
public record Analysis(List<String> inputs, List<Finding.CircularDependency> cycles, int cyclesOmitted,
                       int components, int largestComponent, List<Finding.Recursion> recursions,
                       List<Finding.BadUnlock> unbalanced, List<Finding.DepthOverflow> overflows,
                       boolean irqStateKnown, List<Finding.IrqInconsistent> irqInconsistent,
                       List<Finding.IrqOrder> irqOrders, List<Finding.RemoteDemote> remoteDemotes,
                       List<ContentionRow> contention, Contention contentionTotals,
                       GraphSummary graph, EngineStats engine, ReadStats read, Timing timing) {

    /** Waits on one class from contention_begin/end: count, total and longest, in ns. */
    public record ContentionRow(String cls, boolean unnamed, long waits, long totalNs, long maxNs) {
    }

    public Analysis withTiming(Timing t) {
        return new Analysis(inputs, cycles, cyclesOmitted, components, largestComponent, recursions, unbalanced,
                overflows, irqStateKnown, irqInconsistent, irqOrders, remoteDemotes, contention, contentionTotals, graph,
                engine, read, t);
    }

    /** Sizes of what the engine built (the /proc/lockdep_stats counterparts). */
    public record GraphSummary(int classes, int validatedClasses, int dependencies, int chains, long chainHlocks,
                               int tasks, long heldAtEnd, int hardirqSafe, int hardirqUnsafe, int softirqSafe,
                               int softirqUnsafe) {
    }

    /** Measured run time; only printed on request, so reports stay byte-identical between runs. */
    public record Timing(long readNanos, long analysisNanos, long peakHeapBytes, long engineNanos) {
    }

    public long deadlocks() {
        return cycles.stream().filter(Finding.CircularDependency::isDeadlock).count();
    }
}
