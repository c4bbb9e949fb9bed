package io.capipc.kernel.object;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A task's IPC buffer: the message registers its code reads and writes, and the results the kernel
 * leaves for it. Preallocated with the task; the kernel writes here only inside a transition, and
 * the task's thread reads only after that transition has completed its syscall.
 */
public final class Registers extends OwnResults implements IpcBuffer {
    private Status status = Status.OK;
    private long info;
    private long badge;
    /** The threaded runtime's wake handshake, beside status, info and badge; see {@link #signal()}. */
    private int signal;
    private int parked;

    private static final VarHandle SIGNAL;
    private static final VarHandle PARKED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SIGNAL = l.findVarHandle(Registers.class, "signal", int.class);
            PARKED = l.findVarHandle(Registers.class, "parked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Registers() {}

    /**
     * The threaded runtime's wake flag (run.Parker): it lives here, next to the results a transition
     * writes, so the line the waker writes last is the one the woken thread was spinning on, and the
     * results arrive with it. The kernel itself never reads it.
     */
    public int signal() {
        return (int) SIGNAL.getAcquire(this);
    }

    public int signalVolatile() {
        return (int) SIGNAL.getVolatile(this);
    }

    public void signal(int v) {
        SIGNAL.setVolatile(this, v);
    }

    public void clearSignal() {
        SIGNAL.setOpaque(this, 0);
    }

    /** The other half of the handshake: the owner parks only after saying so here. */
    public int parkedVolatile() {
        return (int) PARKED.getVolatile(this);
    }

    public void parked(int v) {
        PARKED.setVolatile(this, v);
    }

    public void clearParked() {
        PARKED.setOpaque(this, 0);
    }

    @Override
    public long mr(int index) {
        return mr[index];
    }

    @Override
    public void setMr(int index, long value) {
        mr[index] = value;
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
        return status;
    }

    @Override
    public long info() {
        return info;
    }

    @Override
    public long badge() {
        return badge;
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

    /** Kernel: the end of a syscall of this task; returns {@code s}. */
    public Status complete(Status s) {
        status = s;
        return s;
    }

    /** Kernel: a message arrived; {@code info} already carries its kind and the capabilities that arrived. */
    public void received(long info, long badge) {
        this.info = info;
        this.badge = badge;
    }

    /**
     * Kernel: a message is about to arrive; no capability of it has been unwrapped yet. The badges
     * are cleared only if some were set, so the common delivery touches one cache line less.
     */
    public void clearUnwrapped() {
        if (unwrapped != 0) {
            unwrapped = 0;
            java.util.Arrays.fill(capBadges, 0);
        }
    }

    /** Kernel: the byte count of a Read or Write. */
    @Override
    public long handle() {
        return handle;
    }

    /** Kernel: the handle a Suspend returns. */
    public void handle(long h) {
        handle = h;
    }

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

    /** Kernel: copies the first {@code length} registers of {@code from} into these. */
    public void copyFrom(Registers from, int length) {
        System.arraycopy(from.mr, 0, mr, 0, length);
    }
}
