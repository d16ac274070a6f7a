package org.biotwin.ebr.internal.audit;

import java.util.Arrays;

/** A growable list of primitive longs (sequence numbers, file offsets): 8 bytes per entry. Not thread-safe. */
final class LongList {
    private long[] values = new long[16];
    private int size;

    void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    long get(int i) {
        return values[i];
    }

    int size() {
        return size;
    }

    /** Number of leading elements {@code <= max} (the list must be ascending). */
    int countUpTo(long max) {
        int i = Arrays.binarySearch(values, 0, size, max);
        return i >= 0 ? i + 1 : -i - 1;
    }
}
