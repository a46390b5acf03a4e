package dev.lockscope.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.lockscope.TraceRun;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Inputs that are odd but real, and inputs that cannot be read: each has a defined outcome and message. */
class RobustnessTest {
    @TempDir
    Path tmp;

    @Test
    void aReusedPidWithAnotherCommIsNotTakenForOneTask() throws Exception {
        // pid 300 exits after A -> B; the pid comes back as another program doing B -> A
        TraceRun r = TraceRun.text(TraceFormat.CSV, """
                time,task,op,lock,class
                1.0,old-300,acquire,0xa,A
                1.1,old-300,acquire,0xb,B
                1.2,old-300,release,0xb,B
                1.3,old-300,release,0xa,A
                5.0,new-300,acquire,0xb,B
                5.1,new-300,acquire,0xa,A
                """);
        assertEquals(Map.of("A B", List.of("feasible")), r.cycleTags());
        // the witnesses name the comm the pid had then
        assertEquals("old-300", r.analysis.cycles().get(0).edges().get(0).witness().task());
        assertEquals("new-300", r.analysis.cycles().get(0).edges().get(1).witness().task());
    }

    @Test
    void timestampsGoingBackwardsAcrossCpusKeepLineOrder() throws Exception {
        // CPU 1's clock is behind CPU 0's: events are taken in the order of the lines, as ftrace wrote them
        TraceRun r = TraceRun.text("""
                  a-1   [000] .....    10.000500: lock_acquire: ffff8881000000a0 A
                  a-1   [000] .....    10.000600: lock_acquire: ffff8881000000b0 B
                  a-1   [000] .....    10.000700: lock_release: ffff8881000000b0 B
                  a-1   [000] .....    10.000800: lock_release: ffff8881000000a0 A
                  b-2   [001] .....    10.000100: lock_acquire: ffff8881000000b0 B
                  b-2   [001] .....    10.000200: lock_acquire: ffff8881000000a0 A
                """);
        assertEquals(List.of(), r.problems);
        assertEquals(Map.of("A -> B", "EN", "B -> A", "EN"), r.edges());
        assertEquals(10_000_200L * 1000, r.analysis.cycles().get(0).edges().get(1).witness().timeNs());
    }

    @Test
    void aReleaseBeforeAnyAcquireIsCountedNotReported() throws Exception {
        TraceRun r = TraceRun.text(TraceFormat.STD, "T1|rel(l1)|1\nT1|acq(l2)|2\nT1|rel(l2)|3\n");
        assertEquals(1, r.engine.stats().releasesBeforeWindow);
        assertEquals(0, r.analysis.unbalanced().size());
        assertEquals(List.of(), r.problems);
    }

    /** A 10 MB line in every format: one malformed line with its number, and the next line still read. */
    @ParameterizedTest
    @EnumSource(TraceFormat.class)
    void aTenMegabyteLineIsSkipped(TraceFormat f) throws Exception {
        String head = switch (f) {
            case CSV -> "task,op,lock,class\n";
            case TSV -> "task\top\tlock\tclass\n";
            case TRACE_CMD -> "cpus=2\n";
            default -> "";
        };
        String event = switch (f) {
            case CSV -> "w-1,acquire,0xa,A\nw-1,acquire,0xb,B\n";
            case TSV -> "w-1\tacquire\t0xa\tA\nw-1\tacquire\t0xb\tB\n";
            case STD -> "T1|acq(A)|1\nT1|acq(B)|2\n";
            case PERF -> "w 1 [000] 1.000001: lock:lock_acquire: 0xa A\nw 1 [000] 1.000002: lock:lock_acquire: 0xb B\n";
            default -> " w-1 [000] 1.000001: lock_acquire: a A\n w-1 [000] 1.000002: lock_acquire: b B\n";
        };
        byte[] huge = new byte[10 << 20];
        Arrays.fill(huge, (byte) 'x');
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(head.getBytes(StandardCharsets.UTF_8));
        all.write(huge);
        all.write('\n');
        all.write(event.getBytes(StandardCharsets.UTF_8));
        TraceRun r = TraceRun.bytes(f, all.toByteArray());
        int line = head.isEmpty() ? 1 : 2;
        assertEquals(List.of(line + ": line longer than 1048576 bytes"), r.problems, f.toString());
        assertEquals(Map.of("A -> B", "EN"), r.edges(), f.toString());
    }

    @Test
    void aFileWithoutReadPermission() throws Exception {
        Path p = Files.writeString(tmp.resolve("secret.csv"), "task,op,lock\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("---------"));
        // root reads whatever the permissions say: then there is nothing to test
        Assumptions.assumeFalse(Files.isReadable(p), "running as root: permissions do not stop reads");
        InputProblem e = assertThrows(InputProblem.class, () -> TraceSource.of(p.toString()).open(InputStream.nullInputStream()));
        assertEquals(p + ": permission denied", e.getMessage());
    }

    @Test
    void aClassNameThatIsNotUtf8IsReportedNotACrash() throws Exception {
        // found by the fuzz run: a recursion on a class whose name is not valid UTF-8
        byte[] name = {'A', (byte) 0xc3, (byte) 0x28};
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        for (int i = 0; i < 2; i++) {
            t.writeBytes(" w-1 [000] 1.00000%d: lock_acquire: a ".formatted(i).getBytes(StandardCharsets.US_ASCII));
            t.writeBytes(name);
            t.write('\n');
        }
        TraceRun r = TraceRun.bytes(TraceFormat.FTRACE, t.toByteArray());
        assertEquals(1, r.analysis.recursions().size());
        assertEquals("A\uFFFD(", r.analysis.recursions().get(0).cls());
    }
}
