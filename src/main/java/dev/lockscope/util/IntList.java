package dev.lockscope.util;

import java.util.Arrays;

/** A growable list of primitive ints. */
public final class IntList {
    private int[] data;
    private int size;

    public IntList(int capacity) {
        data = new int[Math.max(4, capacity)];
    }

    public void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = v;
    }

    public int get(int i) {
        return data[i];
    }

    public void set(int i, int v) {
        data[i] = v;
    }

    public int size() {
        return size;
    }

    public void clear() {
        size = 0;
    }

    /** Keeps the first {@code n} elements. */
    public void truncate(int n) {
        size = Math.min(size, n);
    }

    public int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
