package dev.lockscope.sim;

import dev.lockscope.sim.Scenario.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes simulator events as the ftrace text of a 6.x lockdep kernel with the lock and gfs2
 * events enabled: {@code comm-pid [cpu] flags secs.usecs: event: payload}, lock events as
 * {@code %p [try ][read ]name} (include/trace/events/lock.h), glock events in the formats of
 * fs/gfs2/trace_gfs2.h with DLM state names (PR, EX, CW, NL). The preempt-depth flag counts the
 * spinlocks the task holds. Lines are assembled in a reused byte buffer: nothing is allocated per
 * event.
 */
public final class FtraceText implements Emitter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String[] STATE = {"NL", "EX", "CW", "PR"};
    private static final String DEVICE = "253,2";

    private final OutputStream out;
    private final byte[][] prefix;
    private final byte[][] lockText;
    private final byte[][] glockText;
    private final Kind[] kind;
    private final byte[][] names;
    private final int[] spins;
    private final byte[] buf = new byte[1 << 16];
    private int n;
    private long lines;

    public FtraceText(Program p, OutputStream out) {
        this.out = out;
        int nt = p.tasks().size();
        prefix = new byte[nt][];
        spins = new int[nt];
        for (int t = 0; t < nt; t++) {
            Program.TaskCode c = p.tasks().get(t);
            String comm = c.name().length() > 15 ? c.name().substring(0, 15) : c.name();
            prefix[t] = String.format("%16s-%-7d [%03d] ", comm, c.pid(), t % p.cpus()).getBytes(StandardCharsets.UTF_8);
        }
        int ni = p.instances().size();
        lockText = new byte[ni][];
        glockText = new byte[ni][];
        kind = new Kind[ni];
        for (int i = 0; i < ni; i++) {
            Program.Instance in = p.instances().get(i);
            kind[i] = in.kind();
            StringBuilder a = new StringBuilder(16);
            for (int k = 60; k >= 0; k -= 4) {
                a.append((char) HEX[(int) (in.addr() >>> k) & 15]);
            }
            lockText[i] = (a + " ").getBytes(StandardCharsets.US_ASCII);
            glockText[i] = (DEVICE + " glock " + in.glockType() + ":" + in.glockNumber() + " ").getBytes(StandardCharsets.US_ASCII);
        }
        names = new byte[ni][];
        for (int i = 0; i < ni; i++) {
            names[i] = p.instances().get(i).name().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The header of {@code /sys/kernel/tracing/trace} (without the entries line: a simulation streams). */
    public void header() {
        put("# tracer: nop\n#\n"
                + "#                                _-----=> irqs-off/BH-disabled\n"
                + "#                               / _----=> need-resched\n"
                + "#                              | / _---=> hardirq/softirq\n"
                + "#                              || / _--=> preempt-depth\n"
                + "#                              ||| / _-=> migrate-disable\n"
                + "#                              |||| /     delay\n"
                + "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
                + "#              | |         |   |||||     |         |\n");
    }

    public long lines() {
        return lines;
    }

    public void flush() {
        try {
            out.write(buf, 0, n);
            out.flush();
            n = 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void room() {
        if (n > buf.length - 4096) {
            try {
                out.write(buf, 0, n);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            n = 0;
        }
    }

    private void put(String s) {
        put(s.getBytes(StandardCharsets.UTF_8));
    }

    private void put(byte[] b) {
        room();
        System.arraycopy(b, 0, buf, n, b.length);
        n += b.length;
    }

    private void start(int task, long timeNs, String event) {
        room();
        lines++;
        byte[] p = prefix[task];
        System.arraycopy(p, 0, buf, n, p.length);
        n += p.length;
        int d = spins[task];
        buf[n++] = '.';
        buf[n++] = '.';
        buf[n++] = '.';
        buf[n++] = d == 0 ? (byte) '.' : HEX[Math.min(d, 15)];
        buf[n++] = '.';
        buf[n++] = ' ';
        long secs = timeNs / 1_000_000_000L;
        long usecs = timeNs / 1000 % 1_000_000;
        int digits = 1;
        for (long v = secs; v >= 10; v /= 10) {
            digits++;
        }
        for (int k = digits; k < 5; k++) {
            buf[n++] = ' ';
        }
        n += digits;
        long v = secs;
        for (int k = 1; k <= digits; k++) {
            buf[n - k] = (byte) ('0' + v % 10);
            v /= 10;
        }
        buf[n++] = '.';
        n += 6;
        v = usecs;
        for (int k = 1; k <= 6; k++) {
            buf[n - k] = (byte) ('0' + v % 10);
            v /= 10;
        }
        buf[n++] = ':';
        buf[n++] = ' ';
        for (int k = 0; k < event.length(); k++) {
            buf[n++] = (byte) event.charAt(k);
        }
    }

    private void lockPayload(int inst, boolean read) {
        byte[] a = lockText[inst];
        System.arraycopy(a, 0, buf, n, a.length);
        n += a.length;
        if (read) {
            buf[n++] = 'r';
            buf[n++] = 'e';
            buf[n++] = 'a';
            buf[n++] = 'd';
            buf[n++] = ' ';
        }
        byte[] nm = names[inst];
        System.arraycopy(nm, 0, buf, n, nm.length);
        n += nm.length;
        buf[n++] = '\n';
    }

    private void ascii(String s) {
        for (int k = 0; k < s.length(); k++) {
            buf[n++] = (byte) s.charAt(k);
        }
    }

    @Override
    public void acquire(int task, int inst, boolean read, long timeNs) {
        if (kind[inst] == Kind.spinlock) {
            spins[task]++; // spin_lock disables preemption before lock_acquire
        }
        start(task, timeNs, "lock_acquire: ");
        lockPayload(inst, read);
    }

    @Override
    public void contended(int task, int inst, long timeNs) {
        start(task, timeNs, "lock_contended: ");
        lockPayload(inst, false);
    }

    @Override
    public void acquired(int task, int inst, long timeNs) {
        start(task, timeNs, "lock_acquired: ");
        lockPayload(inst, false);
    }

    @Override
    public void release(int task, int inst, long timeNs) {
        start(task, timeNs, "lock_release: ");
        lockPayload(inst, false);
        if (kind[inst] == Kind.spinlock) {
            spins[task]--; // ... and enables it after lock_release
        }
    }

    private static String state(int mode) {
        return mode == Program.SHARED ? "PR" : mode == Program.DEFERRED ? "CW" : "EX";
    }

    @Override
    public void glockQueue(int task, int inst, int mode, boolean dequeue, long timeNs) {
        start(task, timeNs, "gfs2_glock_queue: ");
        put(glockText[inst]);
        ascii(dequeue ? "dequeue " : "queue ");
        ascii(state(mode));
        buf[n++] = '\n';
    }

    @Override
    public void glockPromote(int task, int inst, int mode, long timeNs) {
        start(task, timeNs, "gfs2_promote: ");
        put(glockText[inst]);
        ascii("promote ");
        ascii(state(mode));
        buf[n++] = '\n';
    }

    @Override
    public void glockStateChange(int task, int inst, int from, int to, int target, int demote, long timeNs) {
        start(task, timeNs, "gfs2_glock_state_change: ");
        put(glockText[inst]);
        ascii("state ");
        ascii(STATE[from]);
        ascii(" to ");
        ascii(STATE[to]);
        ascii(" tgt:");
        ascii(STATE[target]);
        ascii(" dmt:");
        ascii(STATE[demote]);
        ascii(to == Machine.NL ? " flags:lDp\n" : " flags:l\n");
    }

    @Override
    public void glockDemoteRequest(int task, int inst, int from, int to, long timeNs) {
        start(task, timeNs, "gfs2_demote_rq: ");
        put(glockText[inst]);
        ascii("demote ");
        ascii(STATE[from]);
        ascii(" to ");
        ascii(STATE[to]);
        ascii(" flags:L remote\n");
    }
}
