package dev.lockscope.graph;

/**
 * lockdep's chain key: a 64-bit hash of the held locks of the current irq-context segment,
 * each contributing its class and read state ({@code hlock_id}), folded with the kernel's own
 * {@code iterate_chain_key()} ({@code __jhash_mix} over the two halves of the key).
 */
public final class ChainKey {
    /** {@code INITIAL_CHAIN_KEY}: the key of an empty segment. */
    public static final long INITIAL = -1L;

    private ChainKey() {
    }

    /** {@code hlock_id}: the class with its read state; ours packs 30 bits of class. */
    public static int hlockId(int cls, int read) {
        return (cls << 2) | read;
    }

    public static long iterate(long key, int idx) {
        int a = idx;
        int b = (int) key;
        int c = (int) (key >>> 32);
        a -= c; a ^= Integer.rotateLeft(c, 4);  c += b;
        b -= a; b ^= Integer.rotateLeft(a, 6);  a += c;
        c -= b; c ^= Integer.rotateLeft(b, 8);  b += a;
        a -= c; a ^= Integer.rotateLeft(c, 16); c += b;
        b -= a; b ^= Integer.rotateLeft(a, 19); a += c;
        c -= b; c ^= Integer.rotateLeft(b, 4);  b += a;
        return (b & 0xffffffffL) | ((long) c << 32);
    }
}
