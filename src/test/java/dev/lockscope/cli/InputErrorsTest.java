package dev.lockscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that cannot be read: exit status 3 and one line saying why, from every command. */
class InputErrorsTest {
    @TempDir
    Path tmp;

    @Test
    void unreadableInputsSayWhyForEveryCommand() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("adir.csv"));
        for (String cmd : List.of("analyze", "convert")) {
            String[] r = GoldenTest.run(InputStream.nullInputStream(), cmd, dir.toString());
            assertEquals("3", r[0]);
            assertEquals("lockscope: " + dir + ": is a directory\n", r[2]);
            r = GoldenTest.run(InputStream.nullInputStream(), cmd, tmp.resolve("none.std").toString());
            assertEquals("3", r[0]);
            assertEquals("lockscope: " + tmp.resolve("none.std") + ": no such file\n", r[2]);
        }
    }

    @Test
    void aCorruptCompressedInputIsAnInputError() throws Exception {
        Path p = tmp.resolve("bad.csv.gz");
        Files.write(p, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 'x', 'y', 'z'});
        String[] r = GoldenTest.run(new ByteArrayInputStream(new byte[0]), "analyze", p.toString());
        assertEquals("3", r[0]);
        assertEquals(true, r[2].startsWith("lockscope: " + p + ": "), r[2]);
    }

    @Test
    void anUnknownInputFormatIsAUsageError() {
        String[] r = GoldenTest.run(InputStream.nullInputStream(), "convert", "--input-format", "pcap", "x.pcap");
        assertEquals("2", r[0]);
        assertEquals(true, r[2].startsWith("unknown --input-format 'pcap' (expected one of: ftrace, trace-cmd, perf, "
                + "csv, tsv, std)"), r[2]);
    }

    @Test
    void convertRefusesToReplaceAFileWithoutForce() throws Exception {
        Path out = Files.writeString(tmp.resolve("out.csv"), "mine");
        String[] r = GoldenTest.run(InputStream.nullInputStream(), "convert", "-o", out.toString(),
                "samples/std/gated.std");
        assertEquals("2", r[0]);
        assertEquals("mine", Files.readString(out));
        r = GoldenTest.run(InputStream.nullInputStream(), "convert", "-o", out.toString(), "--force",
                "samples/std/gated.std");
        assertEquals("0", r[0], r[2]);
        assertEquals(true, Files.readString(out).startsWith("time,task,cpu,op,lock,class,mode,ctx\n"));
        assertEquals(List.of(out.getFileName()), Files.list(tmp).map(Path::getFileName).toList());
    }
}
