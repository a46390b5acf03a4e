package dev.lockscope.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Interns byte sequences (lock names, task comms, event names) as dense int ids without
 * allocating for names already seen: the hash and comparison run over the caller's buffer, and a
 * String is created only the first time a name appears. Names are decoded as UTF-8 (malformed
 * bytes become U+FFFD) for display only; identity is the raw bytes.
 */
public final class ByteSymbols {
    private byte[][] byId = new byte[64][];
    private int[] hashById = new int[64];
    private final List<String> strings = new ArrayList<>();
    private int[] table = new int[256];
    private int mask = 255;

    public ByteSymbols() {
        Arrays.fill(table, -1);
    }

    public int size() {
        return strings.size();
    }

    public String name(int id) {
        return strings.get(id);
    }

    public int intern(byte[] buf, int off, int len) {
        int h = hash(buf, off, len);
        int i = h & mask;
        while (true) {
            int id = table[i];
            if (id < 0) {
                return add(buf, off, len, h, i);
            }
            if (hashById[id] == h && equal(byId[id], buf, off, len)) {
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    public int intern(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return intern(b, 0, b.length);
    }

    /**
     * Returns the id of {@code s} or -1 if it was never interned. {@code s} may also be the
     * display form of a name that is not UTF-8 (as {@link #name} returned it): such names are
     * found by a linear search, the first with that display form.
     */
    public int find(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int h = hash(b, 0, b.length);
        int i = h & mask;
        while (true) {
            int id = table[i];
            if (id < 0) {
                return s.indexOf('\uFFFD') < 0 ? -1 : strings.indexOf(s);
            }
            if (hashById[id] == h && equal(byId[id], b, 0, b.length)) {
                return id;
            }
            i = (i + 1) & mask;
        }
    }

    private int add(byte[] buf, int off, int len, int h, int slot) {
        int id = strings.size();
        if (id == byId.length) {
            byId = Arrays.copyOf(byId, id * 2);
            hashById = Arrays.copyOf(hashById, id * 2);
        }
        byte[] copy = Arrays.copyOfRange(buf, off, off + len);
        byId[id] = copy;
        hashById[id] = h;
        strings.add(new String(copy, StandardCharsets.UTF_8));
        table[slot] = id;
        if ((id + 1) * 2 > table.length) {
            rehash();
        }
        return id;
    }

    private void rehash() {
        table = new int[table.length * 2];
        Arrays.fill(table, -1);
        mask = table.length - 1;
        for (int id = 0; id < strings.size(); id++) {
            int i = hashById[id] & mask;
            while (table[i] >= 0) {
                i = (i + 1) & mask;
            }
            table[i] = id;
        }
    }

    /** The length in bytes of symbol {@code id}'s name. */
    public int length(int id) {
        return byId[id].length;
    }

    /** True if symbol {@code id} is exactly {@code buf[off..off+len)}. */
    public boolean equalsAt(int id, byte[] buf, int off, int len) {
        return equal(byId[id], buf, off, len);
    }

    private static boolean equal(byte[] a, byte[] buf, int off, int len) {
        return a.length == len && sameBytes(a, 0, buf, off, len);
    }

    /** Whether a[ao..ao+len) equals c[co..co+len): a word at a time, the last word overlapping the one before. */
    public static boolean sameBytes(byte[] a, int ao, byte[] c, int co, int len) {
        if (len < 8) {
            for (int i = 0; i < len; i++) {
                if (a[ao + i] != c[co + i]) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < len - 8; i += 8) {
            if ((long) LONGS.get(a, ao + i) != (long) LONGS.get(c, co + i)) {
                return false;
            }
        }
        return (long) LONGS.get(a, ao + len - 8) == (long) LONGS.get(c, co + len - 8);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Eight bytes a step (the names are 5 to 60 bytes), then the tail. */
    private static int hash(byte[] buf, int off, int len) {
        long h = 0x9e3779b97f4a7c15L ^ len;
        int k = 0;
        for (; k + 8 <= len; k += 8) {
            h = Long.rotateLeft((h ^ (long) LONGS.get(buf, off + k)) * 0xff51afd7ed558ccdL, 29);
        }
        for (; k < len; k++) {
            h = (h ^ buf[off + k]) * 0x100000001b3L;
        }
        h ^= h >>> 32;
        h *= 0xc4ceb9fe1a85ec53L;
        return (int) (h ^ (h >>> 29));
    }
}
