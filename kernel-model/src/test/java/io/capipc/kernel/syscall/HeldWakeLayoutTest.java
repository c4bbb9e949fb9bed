package io.capipc.kernel.syscall;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * The held wake, which every syscall writes, is padded by two cache lines on both sides, at the
 * offsets the JVM chose (read with JOL), so it never shares a line with the waker and tracer
 * beside it, nor with whatever the heap put next.
 */
class HeldWakeLayoutTest {
    private static final long TWO_CACHE_LINES = 2 * 64;

    @Test
    void heldWake_twoCacheLinesOfPaddingOnBothSides() {
        ClassLayout layout = ClassLayout.parseClass(HeldWake.class);
        List<FieldLayout> state = layout.fields().stream()
                .filter(f -> f.name().equals("holding") || f.name().equals("held")).toList();
        assertTrue(state.size() == 2, layout.toPrintable());
        long first = state.stream().mapToLong(FieldLayout::offset).min().getAsLong();
        long end = state.stream().mapToLong(f -> f.offset() + f.size()).max().getAsLong();
        assertTrue(first >= TWO_CACHE_LINES, "before: " + first + " bytes\n" + layout.toPrintable());
        assertTrue(layout.instanceSize() - end >= TWO_CACHE_LINES, "after: " + (layout.instanceSize() - end) + " bytes\n" + layout.toPrintable());
    }
}
