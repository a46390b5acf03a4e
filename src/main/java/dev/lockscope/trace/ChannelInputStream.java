package dev.lockscope.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A file read through one reused direct buffer. FileInputStream.read(byte[]) of a large block
 * allocates and frees a native buffer per call, which costs page faults on every megabyte;
 * this keeps one buffer for the whole file.
 */
final class ChannelInputStream extends InputStream {
    private final FileChannel channel;
    private final ByteBuffer direct = ByteBuffer.allocateDirect(1 << 16);

    ChannelInputStream(FileChannel channel) {
        this.channel = channel;
        direct.limit(0);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!direct.hasRemaining()) {
            direct.clear();
            int n = channel.read(direct);
            direct.flip();
            if (n <= 0) {
                return -1;
            }
        }
        int n = Math.min(len, direct.remaining());
        direct.get(b, off, n);
        return n;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
