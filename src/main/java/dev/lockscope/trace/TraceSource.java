package dev.lockscope.trace;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A trace to read: a file or {@code -} for standard input, decompressed by magic bytes
 * (gzip {@code 1f 8b}, xz {@code fd 37 7a 58 5a 00}) whatever its name says.
 *
 * @param name   how messages name it ({@code file:line: ...}); {@code <stdin>} for {@code -}
 * @param path   the file, or null for stdin
 */
public record TraceSource(String name, Path path) {

    public static TraceSource of(String arg) {
        if ("-".equals(arg)) {
            return new TraceSource("<stdin>", null);
        }
        return new TraceSource(arg, Path.of(arg));
    }

    public boolean isStdin() {
        return path == null;
    }

    /** Opens the (decompressed) byte stream, or explains why it cannot be read. */
    public InputStream open(InputStream stdin) throws InputProblem {
        InputStream raw;
        if (path == null) {
            raw = stdin;
        } else {
            if (Files.isDirectory(path)) {
                throw new InputProblem(name + ": is a directory");
            }
            try {
                raw = new ChannelInputStream(FileChannel.open(path, StandardOpenOption.READ));
            } catch (NoSuchFileException e) {
                throw new InputProblem(name + ": no such file");
            } catch (AccessDeniedException e) {
                throw new InputProblem(name + ": permission denied");
            } catch (IOException e) {
                throw new InputProblem(name + ": cannot open: " + e.getMessage(), e);
            }
        }
        try {
            // a plain file goes to the reader unbuffered: its 64 KiB reads come straight from the channel
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
            in.mark(8);
            byte[] magic = new byte[6];
            int n = in.readNBytes(magic, 0, 6);
            in.reset();
            if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            }
            if (n == 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z' && magic[3] == 'X'
                    && magic[4] == 'Z' && magic[5] == 0) {
                return new BufferedInputStream(new XZInputStream(in), 1 << 16);
            }
            return in;
        } catch (IOException e) {
            throw new InputProblem(name + ": cannot read: " + e.getMessage(), e);
        }
    }
}
