package dev.lockscope.check;

import dev.lockscope.analysis.Analysis;
import dev.lockscope.analysis.Finding;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The CI gate: a finding of a selected kind whose identity is not in the baseline is new, and
 * any new finding fails the check. A baseline entry whose identity no finding of any gateable
 * kind has (whatever --fail-on selects) is stale. Identities are compared as text, so a finding
 * matches across runs, hosts and kernels as long as its classes (and modes) are the same.
 */
public final class CheckFindings {
    private CheckFindings() {
    }

    /** One gated finding; {@code baselineLine} is 0 when it is new. */
    public record Gated(String identity, String kind, Finding finding, int baselineLine) {
        public boolean isNew() {
            return baselineLine == 0;
        }
    }

    /** A baseline entry no finding has any more. */
    public record Stale(String identity, int line) {
    }

    /**
     * @param findings   findings of the selected kinds, in report order (cycles, recursion, irq, unbalanced), one per identity
     * @param stale      baseline entries without a finding
     * @param unselected findings of gateable kinds that --fail-on left out
     */
    public record Result(List<Gated> findings, List<Stale> stale, int unselected) {
        public long newCount() {
            return findings.stream().filter(Gated::isNew).count();
        }

        public boolean failed() {
            return newCount() > 0;
        }
    }

    /** Every gateable finding of {@code a}, in report order. */
    public static List<Finding> gateable(Analysis a) {
        List<Finding> all = new ArrayList<>();
        all.addAll(a.cycles());
        all.addAll(a.recursions());
        all.addAll(a.irqInconsistent());
        all.addAll(a.irqOrders());
        all.addAll(a.unbalanced());
        return all;
    }

    public static Result check(Analysis a, Set<FailKind> failOn, Baseline baseline) {
        Map<String, Integer> known = baseline.entries();
        Map<String, Gated> selected = new LinkedHashMap<>();
        Set<String> present = new java.util.HashSet<>();
        int unselected = 0;
        for (Finding f : gateable(a)) {
            String id = f.identity();
            present.add(id);
            boolean chosen = failOn.stream().anyMatch(k -> k.matches(f));
            if (!chosen) {
                unselected++;
                continue;
            }
            selected.putIfAbsent(id, new Gated(id, FailKind.kindOf(f), f, known.getOrDefault(id, 0)));
        }
        List<Stale> stale = new ArrayList<>();
        known.forEach((id, line) -> {
            if (!present.contains(id)) {
                stale.add(new Stale(id, line));
            }
        });
        return new Result(List.copyOf(selected.values()), List.copyOf(stale), unselected);
    }

    /** Every kind: the default of --fail-on. */
    public static Set<FailKind> allKinds() {
        return EnumSet.allOf(FailKind.class);
    }
}
