package io.capipc.props.regions;

/**
 * One step of a region run (docs/semantics.md §12.1), by task number (each task has a Space of its
 * own) and slot. Slot {@link RegionWorld#EP} holds the endpoint the tasks transfer capabilities
 * through; the others hold region capabilities or nothing.
 */
public sealed interface RegionAction {
    /** The task that makes the syscall. */
    int task();

    record Map(int task, int slot) implements RegionAction {}

    record Unmap(int task, int slot) implements RegionAction {}

    record Carve(int task, int slot, long offset, long length, int rights, int dst) implements RegionAction {}

    record Copy(int task, int src, int dst, int rights) implements RegionAction {}

    record Move(int task, int src, int dst) implements RegionAction {}

    record Mutate(int task, int src, int dst, int rights) implements RegionAction {}

    record Delete(int task, int slot) implements RegionAction {}

    record Revoke(int task, int slot) implements RegionAction {}

    /** {@code task} sends the capability in {@code src} to {@code to}, whose receive slot is {@code dst}. */
    record Transfer(int task, int to, int src, int dst, boolean move) implements RegionAction {}

    /**
     * {@code task} writes {@code value} through the {@code view}-th view returned so far (mod their
     * number; {@link #LATEST}: the last one), at {@code offset} (mod its size).
     */
    record Touch(int task, int view, long offset, byte value) implements RegionAction {
        public static final int LATEST = 63;
    }

    /** A line of a shrunk trace. */
    static String show(RegionAction a) {
        return "t" + a.task() + " " + a.toString().replaceFirst("\\[task=\\d+, ?", "[");
    }
}
