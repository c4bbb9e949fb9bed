package io.capipc.servers;

import org.jspecify.annotations.Nullable;

/**
 * Sessions by badge: an open-addressing map from {@code long} to an object, so a lookup neither boxes
 * nor allocates (a {@code HashMap<Long, ...>} would box every badge). Grows, allocating, only when a
 * new session is added past three quarters full. For one server task's thread only.
 */
final class LongMap<V> {
    private long[] keys = new long[16];
    private @Nullable Object[] values = new Object[16];
    private int size;

    /** The value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    @Nullable V get(long key) {
        int mask = keys.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) v;
            }
        }
    }

    /** Sets the value for {@code key} (not null). */
    void put(long key, V value) {
        if ((size + 1) * 4 > keys.length * 3) {
            grow();
        }
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (values[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
    }

    /** Removes {@code key}; returns its value, or null. */
    @SuppressWarnings("unchecked")
    @Nullable V remove(long key) {
        int mask = keys.length - 1;
        int i = hash(key) & mask;
        while (values[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        Object v = values[i];
        if (v == null) {
            return null;
        }
        values[i] = null;
        size--;
        // Re-insert the rest of the cluster, so no later key is cut off from its probe start.
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            long k = keys[j];
            Object moved = values[j];
            values[j] = null;
            size--;
            put(k, (V) moved);
        }
        return (V) v;
    }

    int size() {
        return size;
    }

    /** Every value, then empties the map. */
    @SuppressWarnings("unchecked")
    void drain(Drain<V> each) {
        for (int i = 0; i < keys.length; i++) {
            Object v = values[i];
            if (v != null) {
                values[i] = null;
                each.accept(keys[i], (V) v);
            }
        }
        size = 0;
    }

    @FunctionalInterface
    interface Drain<V> {
        void accept(long key, V value);
    }

    private void grow() {
        long[] oldKeys = keys;
        @Nullable Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            Object old = oldValues[i];
            if (old != null) {
                @SuppressWarnings("unchecked")
                V v = (V) old;
                put(oldKeys[i], v);
            }
        }
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
