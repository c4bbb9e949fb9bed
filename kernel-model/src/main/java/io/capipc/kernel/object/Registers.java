package io.capipc.kernel.object;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Reason;
import io.capipc.api.Status;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A task's IPC buffer: the message registers its code reads and writes, and the results the kernel
 * leaves for it. Preallocated with the task; the kernel writes here only inside a transition, and
 * the task's thread reads only after that transition has completed its syscall.
 */
public final class Registers extends OwnResults implements IpcBuffer {
    /*
     * The mailbox (RegisterArrays.box), 64-byte aligned: the first line holds the wake flags, the
     * status, the info word, the badge and message registers 0-3 (bytes 12-15 unused); registers
     * 4-63 follow. A delivery of up to four registers writes one line, of eight two, wherever the
     * heap put this object. The task's state is not here (it is the task's {@code stateLine}): put
     * here, it bought a round trip nothing, twice (docs/benchmarks.md, "The line budget", steps 1
     * and 4), and every access to it would be a checked native one.
     */
    private static final long SIGNAL_AT = 0;
    private static final long PARKED_AT = 4;
    private static final long STATUS_AT = 8;
    private static final long INFO_AT = 16;
    private static final long BADGE_AT = 24;
    private static final long MR_AT = 32;
    static final long BOX_BYTES = MR_AT + (long) MessageInfo.MAX_LENGTH * Long.BYTES;

    /** Accesses an int of the mailbox with a memory order: (segment, offset). */
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final Status[] STATUSES = Status.values();
    /** The status word holds the status's ordinal in its low byte and the reason's above it: one store sets both. */
    private static final int REASON_SHIFT = 8;

    Registers() {}

    /**
     * The threaded runtime's wake count (run.Parker): it lives here, on the line with the results a
     * transition writes, so the line the waker writes last is the one the woken thread was spinning
     * on, and the results arrive with it. Only wakers write it (the owner counts what it consumed
     * elsewhere), so a woken thread does not take the line back to consume a wake. The kernel itself
     * never reads it.
     */
    public int signalAcquire() {
        return (int) INT.getAcquire(box, SIGNAL_AT);
    }

    public int signalVolatile() {
        return (int) INT.getVolatile(box, SIGNAL_AT);
    }

    public void setSignalVolatile(int v) {
        INT.setVolatile(box, SIGNAL_AT, v);
    }

    /** The other half of the handshake: the owner parks only after saying so here. */
    public int parkedVolatile() {
        return (int) INT.getVolatile(box, PARKED_AT);
    }

    public void setParkedVolatile(int v) {
        INT.setVolatile(box, PARKED_AT, v);
    }

    public void clearParkedOpaque() {
        INT.setOpaque(box, PARKED_AT, 0);
    }

    @Override
    public long mr(int index) {
        return box.get(ValueLayout.JAVA_LONG, MR_AT + checked(index) * Long.BYTES);
    }

    @Override
    public void setMr(int index, long value) {
        box.set(ValueLayout.JAVA_LONG, MR_AT + checked(index) * Long.BYTES, value);
    }

    /** A register index as an array would check it, with an array's exception. */
    private static long checked(int index) {
        if (index < 0 || index >= MessageInfo.MAX_LENGTH) {
            throw new ArrayIndexOutOfBoundsException("Index " + index + " out of bounds for length " + MessageInfo.MAX_LENGTH);
        }
        return index;
    }

    @Override
    public void setCap(int index, int slot) {
        caps[index] = slot;
    }

    @Override
    public int cap(int index) {
        return caps[index];
    }

    @Override
    public void setMove(int index, boolean move) {
        moves[index] = move;
    }

    @Override
    public boolean move(int index) {
        return moves[index];
    }

    @Override
    public void setReceiveSlot(int index, int slot) {
        receiveSlots[index] = slot;
    }

    @Override
    public int receiveSlot(int index) {
        return receiveSlots[index];
    }

    @Override
    public int unwrapped() {
        return unwrapped;
    }

    @Override
    public long capBadge(int index) {
        return capBadges[index];
    }

    /** Kernel: capability {@code index} of the message arrived unwrapped, with {@code badge}. */
    public void unwrappedCap(int index, long badge) {
        unwrapped |= 1 << index;
        capBadges[index] = badge;
    }

    @Override
    public Status status() {
        return STATUSES[box.get(ValueLayout.JAVA_INT, STATUS_AT) & 0xFF];
    }

    @Override
    public Reason reason() {
        return Reason.ofOrdinal(box.get(ValueLayout.JAVA_INT, STATUS_AT) >>> REASON_SHIFT);
    }

    @Override
    public long info() {
        return box.get(ValueLayout.JAVA_LONG, INFO_AT);
    }

    @Override
    public long badge() {
        return box.get(ValueLayout.JAVA_LONG, BADGE_AT);
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long callerBadge() {
        return callerBadge;
    }

    @Override
    public int callerLabel() {
        return callerLabel;
    }

    @Override
    public long callerSendSize() {
        return callerSendSize;
    }

    @Override
    public long callerRecvSize() {
        return callerRecvSize;
    }

    /** Kernel: the end of a syscall of this task, not refused; returns {@code s}. */
    public Status complete(Status s) {
        box.set(ValueLayout.JAVA_INT, STATUS_AT, s.ordinal());
        return s;
    }

    /** Kernel: the syscall is refused for {@code why}; returns its status. */
    public Status refuse(Reason why) {
        Status s = why.status();
        box.set(ValueLayout.JAVA_INT, STATUS_AT, s.ordinal() | why.ordinal() << REASON_SHIFT);
        return s;
    }

    /** Kernel: a message arrived; {@code info} already carries its kind and the capabilities that arrived. */
    public void received(long info, long badge) {
        box.set(ValueLayout.JAVA_LONG, INFO_AT, info);
        box.set(ValueLayout.JAVA_LONG, BADGE_AT, badge);
    }

    /**
     * Kernel: a message is about to arrive; no capability of it has been unwrapped yet. The badges
     * are cleared only if some were set, so the common delivery touches one cache line less.
     */
    public void clearUnwrapped() {
        if (unwrapped != 0) {
            unwrapped = 0;
            Arrays.fill(capBadges, 0);
        }
    }

    @Override
    public long handle() {
        return handle;
    }

    /** Kernel: the handle a Suspend returns. */
    public void handle(long h) {
        handle = h;
    }

    @Override
    public long tag() {
        return tag;
    }

    /** Kernel: the tag an AsyncCall's reply will carry. */
    public void tag(long t) {
        tag = t;
    }

    @Override
    public long lost() {
        return lost;
    }

    /** Kernel: how many messages an async port lost. */
    public void lost(long n) {
        lost = n;
    }

    @Override
    public MemorySegment mapping() {
        MemorySegment m = mapping;
        return m == null ? MemorySegment.NULL : m;
    }

    /** Kernel: the view a Map returns. */
    public void mapping(MemorySegment view) {
        mapping = view;
    }

    /** Kernel: the byte count of a Read or Write. */
    public void counted(long bytes) {
        count = bytes;
    }

    /** Kernel: the result of CallerInfo. */
    public void callerInfo(long badge, int label, long sendSize, long recvSize) {
        callerBadge = badge;
        callerLabel = label;
        callerSendSize = sendSize;
        callerRecvSize = recvSize;
    }

    /** Kernel: copies the first {@code length} registers of {@code from} into these (none: no checked copy at all). */
    public void copyFrom(Registers from, int length) {
        if (length > 0) {
            MemorySegment.copy(from.box, MR_AT, box, MR_AT, (long) length * Long.BYTES);
        }
    }

    /**
     * Kernel, Restart on the deterministic driver: clears the whole buffer in place, as a fresh one
     * would be (no wake flags are in use there). Allocates nothing.
     */
    public void reset() {
        box.fill((byte) 0);
        Arrays.fill(caps, 0);
        Arrays.fill(receiveSlots, -1);
        Arrays.fill(capBadges, 0);
        unwrapped = 0;
        count = 0;
        handle = 0;
        tag = 0;
        lost = 0;
        callerBadge = 0;
        callerLabel = 0;
        callerSendSize = 0;
        callerRecvSize = 0;
    }
}
