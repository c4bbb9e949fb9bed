package io.capipc.kernel.object;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * The padding of the kernel objects that other cores read, pinned to the field offsets the JVM
 * actually chose (read with JOL). Each such object is a chain of classes: a fixed part (references
 * made at creation and never changed, read by whichever core runs a transition), a {@code ...Pad}
 * class whose comment promises "two cache lines" between that part and the rest, and the state
 * transitions write. The JVM is free to reorder fields and to put a subclass's small field into a
 * gap at the end of its superclass's (hence the {@code p00} ints), so only the laid-out offsets say
 * whether the promise holds: from the end of the last fixed field to the first changing one there
 * must be at least 128 bytes, so the two never share a line, nor a pair of lines the adjacent-line
 * prefetcher fetches together.
 */
class PaddingLayoutTest {
    /** "Two cache lines" of 64 bytes, as each Pad class's comment says. */
    private static final long TWO_CACHE_LINES = 2 * 64;

    /** Each padded object. */
    static Stream<Class<?>> paddedObjects() {
        return Stream.of(Task.class, Registers.class, CallerContext.class, Endpoint.class, CallerBuffers.class);
    }

    @ParameterizedTest
    @MethodSource("paddedObjects")
    void layout_fixedPartAndChangingState_atLeastTwoCacheLinesApart(Class<?> object) {
        Class<?> pad = padOf(object);
        ClassLayout layout = ClassLayout.parseClass(object);
        Set<String> fixed = names(pad.getSuperclass(), Object.class);
        Set<String> changing = names(object, pad);
        List<FieldLayout> fields = List.copyOf(layout.fields());
        List<FieldLayout> fixedFields = fields.stream().filter(f -> fixed.contains(f.hostClass())).toList();
        List<FieldLayout> changingFields = fields.stream().filter(f -> changing.contains(f.hostClass())).toList();
        assertFalse(fixedFields.isEmpty(), "no fixed fields found above " + pad.getSimpleName());
        assertFalse(changingFields.isEmpty(), "no changing fields found below " + pad.getSimpleName());
        long fixedEnd = fixedFields.stream().mapToLong(f -> f.offset() + f.size()).max().getAsLong();
        long changingStart = changingFields.stream().mapToLong(FieldLayout::offset).min().getAsLong();
        assertTrue(changingStart - fixedEnd >= TWO_CACHE_LINES, object.getSimpleName() + ": the fixed part ends at "
                + fixedEnd + ", the changing state starts at " + changingStart + ", " + (changingStart - fixedEnd)
                + " bytes apart, not " + TWO_CACHE_LINES + ":\n" + layout.toPrintable());
    }

    /** The superclass of {@code object} named ...Pad (the Pad classes are private to their files). */
    private static Class<?> padOf(Class<?> object) {
        for (Class<?> c = object.getSuperclass(); c != null; c = c.getSuperclass()) {
            if (c.getSimpleName().endsWith("Pad")) {
                return c;
            }
        }
        throw new AssertionError(object.getSimpleName() + " has no ...Pad superclass");
    }

    /** The names of {@code from} and its superclasses up to, not including, {@code stop}. */
    private static Set<String> names(Class<?> from, Class<?> stop) {
        Set<String> out = new HashSet<>();
        for (Class<?> c = from; c != stop; c = c.getSuperclass()) {
            out.add(c.getName());
        }
        return out;
    }
}
