package dev.lockscope.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lockscope.Shared;
import dev.lockscope.analysis.Finding;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * lockscope against the kernel's own lockdep of the same boot (../shared/traces/kernel-6.1).
 *
 * <p>What a trace window cannot show: lockdep validates a chain only the first time it is seen
 * in a boot, and most chains were first seen before tracing began, so /proc/lockdep holds
 * thousands of dependencies the window never exercises. And the trace names classes without
 * lockdep's #N and /N, so kernel classes are compared by their base name. What must hold: every
 * dependency lockscope derives is one the kernel recorded (none invented), and of the kernel's
 * dependencies whose two classes are both acquired in the window, a large share is found.
 */
class KernelFidelityTest {

    static Stream<Arguments> captures() {
        return Stream.of(
                Arguments.of("mod_mutex", "mod_mutex/traces/module_lockinv_mutex.trace.xz"),
                Arguments.of("mod_rwsem", "mod_rwsem/traces/module_lockinv_rwsem.trace.xz"),
                Arguments.of("mod_mixed", "mod_mixed/traces/module_lockinv_mixed.trace.xz"),
                Arguments.of("fs", "fs/traces/idle_1s.trace.xz"),
                Arguments.of("fs", "fs/traces/a_mmap_read_self_ext4.trace.xz"),
                Arguments.of("fs", "fs/traces/a_mmap_read_self_gfs2.trace.xz"),
                Arguments.of("fs", "fs/traces/b_odirect_self_gfs2.trace.xz"),
                Arguments.of("fs", "fs/traces/c_odirect_cross_ext4.trace.xz"),
                Arguments.of("fs", "fs/traces/d_buffered_gfs2.trace.xz"),
                Arguments.of("fs", "fs/traces/f_mix_concurrent.trace.xz"));
    }

    /**
     * Every dependency lockscope derives is one the kernel recorded. /proc/lockdep prints only
     * distance-1 dependencies (prev directly below next); deeper ones (the walk passed trylocks
     * or check=0 locks such as rcu_read_lock) are checked against /proc/lockdep_chains: some
     * chain the kernel validated ends in next and holds prev. In the module boots lockdep turned
     * itself off at its splat (debug_locks=0), so only dependencies first seen before the
     * acquisition that triggered it are compared.
     */
    @ParameterizedTest(name = "{1}")
    @MethodSource("captures")
    void noDependencyIsInvented(String boot, String trace) throws Exception {
        assumeTrue(Shared.hasTraces(), "../shared/traces absent");
        Path dir = Shared.traces();
        KernelLockdep kernel = KernelLockdep.read(dir.resolve(boot).resolve("proc/lockdep.txt.xz"));
        Engine engine = new Engine(dir.resolve(trace));
        long until = Long.MAX_VALUE;
        if (boot.startsWith("mod_")) {
            until = engine.analysis.cycles().stream().filter(Finding.CircularDependency::isDeadlock)
                    .mapToLong(c -> c.edges().get(c.edges().size() - 1).witness().line()).min().orElseThrow();
        }
        Map<String, Integer> ours = engine.edgesBefore(until);
        // a /proc/lockdep that read as empty would make every dependency "zapped" below
        assertTrue(kernel.edges.size() > 100, "kernel dependencies read: " + kernel.edges.size());
        Set<String> invented = new TreeSet<>();
        int direct = 0;
        int zapped = 0;
        for (Map.Entry<String, Integer> e : ours.entrySet()) {
            boolean known = e.getValue() == 1 ? kernel.edges.contains(e.getKey()) : kernel.chainPairs.contains(e.getKey());
            if (e.getValue() == 1) {
                direct++;
            }
            // classes lockdep zapped before /proc/lockdep was read (xfs workqueues destroyed at
            // unmount: lockdep_unregister_key drops the class, its dependencies and its chains)
            if (!known && !kernel.classes.containsAll(engine.witnessClasses(e.getKey()))) {
                zapped++;
                continue;
            }
            if (!known) {
                invented.add(e.getKey() + " (distance " + e.getValue() + ") @" + engine.witnessLine(e.getKey()));
            }
        }
        assertEquals(Set.of(), invented, "dependencies lockdep never recorded");
        System.out.printf("%s: %d dependencies compared (%d at distance 1), %d through classes lockdep zapped%n",
                trace, ours.size(), direct, zapped);
        assertTrue(direct > 80, "too few dependencies derived: " + direct);
        // the module boots unmount nothing; on the file-system boots the zapped classes cover 0-15 %
        assertTrue(boot.startsWith("mod_") ? zapped == 0 : zapped * 5 < ours.size(),
                "too many dependencies skipped as zapped: " + zapped + " of " + ours.size());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("captures")
    void findsMostKernelDependenciesBetweenClassesOfTheWindow(String boot, String trace) throws Exception {
        assumeTrue(Shared.hasTraces(), "../shared/traces absent");
        Path dir = Shared.traces();
        KernelLockdep kernel = KernelLockdep.read(dir.resolve(boot).resolve("proc/lockdep.txt.xz"));
        Engine engine = new Engine(dir.resolve(trace));
        Set<String> seen = new TreeSet<>();
        for (int c = 0; c < engine.builder.classCount(); c++) {
            if (engine.builder.acquisitions(c) > 0) {
                seen.add(engine.builder.classes().name(c));
            }
        }
        Set<String> reachable = new TreeSet<>();
        for (String e : kernel.edges) {
            String[] ft = e.split(" -> ");
            if (seen.contains(ft[0]) && seen.contains(ft[1])) {
                reachable.add(e);
            }
        }
        Set<String> found = new TreeSet<>(reachable);
        found.retainAll(engine.edges());
        double recall = (double) found.size() / reachable.size();
        System.out.printf("%s: %d dependencies derived; kernel has %d between classes of the window, %d found (%.0f%%)%n",
                trace, engine.edges().size(), reachable.size(), found.size(), recall * 100);
        assertTrue(recall >= 0.5, String.format("recall %.2f", recall));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void moduleInversionsMatchTheKernelSplat(String mode, List<String> classes) throws Exception {
        assumeTrue(Shared.hasTraces(), "../shared/traces absent");
        Engine engine = new Engine(Shared.traces().resolve("mod_" + mode + "/traces/module_lockinv_" + mode + ".trace.xz"));
        List<Finding.CircularDependency> deadlocks = engine.analysis.cycles().stream()
                .filter(Finding.CircularDependency::isDeadlock).toList();
        assertEquals(1, deadlocks.size(), "exactly the splat's cycle is a plain deadlock");
        // lockdep's splat: "<task> is trying to acquire lock: (classes[0]) but task is already holding lock: (classes[1])"
        assertEquals(classes, deadlocks.get(0).classes());
    }

    static Stream<Arguments> modules() {
        return Stream.of(
                Arguments.of("mutex", List.of("lockinv_mutex_a", "lockinv_mutex_b")),
                Arguments.of("rwsem", List.of("lockinv_rwsem_x", "lockinv_rwsem_y")),
                Arguments.of("mixed", List.of("lockinv_fake_mmap_lock", "lockinv_fake_inode_lock")));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("fsCaptures")
    void fileSystemCapturesHaveNoPlainDeadlock(String boot, String trace) throws Exception {
        assumeTrue(Shared.hasTraces(), "../shared/traces absent");
        Engine engine = new Engine(Shared.traces().resolve(trace));
        for (Finding.CircularDependency c : engine.analysis.cycles()) {
            if (c.classes().stream().anyMatch(n -> n.startsWith("glock:"))) {
                continue; // lockdep never sees glocks: its silence says nothing about these (see below)
            }
            assertTrue(!c.isDeadlock(), "plain deadlock reported: " + c.classes());
            assertTrue(!c.tags().isEmpty() && !c.notes().isEmpty(), "tagged and explained: " + c.classes());
        }
        assertEquals(0, engine.analysis.recursions().stream().filter(Finding.Recursion::sameInstance).count(),
                "lockdep reported no recursive locking in this boot");
        assertEquals(0, engine.analysis.unbalanced().size(), "lockdep reported no bad unlock in this boot");
        // lockdep reported no irq-safety problem either; names shared by several classes are tagged
        assertTrue(engine.analysis.irqStateKnown());
        assertTrue(engine.analysis.irqInconsistent().stream().allMatch(Finding.IrqInconsistent::aliased),
                "inconsistent lock state: " + engine.analysis.irqInconsistent());
        assertTrue(engine.analysis.irqOrders().stream().allMatch(Finding.IrqOrder::aliased),
                "irq lock order: " + engine.analysis.irqOrders());
        // every line of the real capture is understood: lock_*, contention_*, mmap_lock_*, gfs2_*
        assertEquals(0, engine.stats.malformedTotal);
    }

    /**
     * gfs2 glocks are invisible to lockdep; the trace's gfs2_glock_queue/promote lines make them
     * classes. O_DIRECT whose buffer is an mmap of the same file (seed 001's pattern, on gfs2):
     * the write holds the inode glock (CW) across get_user_pages, which takes mmap_lock; the
     * page fault on the mapping holds mmap_lock and asks for the inode glock (EX).
     */
    @org.junit.jupiter.api.Test
    void gfs2CaptureShowsTheGlockMmapLockInversion() throws Exception {
        assumeTrue(Shared.hasTraces(), "../shared/traces absent");
        Engine engine = new Engine(Shared.traces().resolve("fs/traces/b_odirect_self_gfs2.trace.xz"));
        Set<String> edges = engine.edges();
        assertTrue(edges.contains("glock:inode -> &mm->mmap_lock"), "glock held across get_user_pages");
        assertTrue(edges.contains("&mm->mmap_lock -> glock:inode"), "page fault takes the glock");
        assertTrue(edges.contains("glock:inode -> glock:rgrp"), "inode glock before rgrp glock");
        assertTrue(engine.analysis.cycles().stream().anyMatch(c -> c.isDeadlock()
                && c.classes().equals(List.of("&mm->mmap_lock", "glock:inode"))));
        assertEquals(0, engine.stats.malformedTotal);
        assertTrue(engine.stats.glockObjectHolds > 0, "iopen holders are the inode's, not a task's");
    }

    static Stream<Arguments> fsCaptures() {
        return Stream.concat(captures().filter(a -> a.get()[0].equals("fs")),
                Stream.of(Arguments.of("fs", "fs/traces/e_mempressure_gfs2.trace.xz")));
    }
}
