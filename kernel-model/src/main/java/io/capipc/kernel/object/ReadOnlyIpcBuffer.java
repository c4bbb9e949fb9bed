package io.capipc.kernel.object;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Reason;
import io.capipc.api.Status;
import java.lang.foreign.MemorySegment;

/**
 * A task's IPC buffer as an observer (a tracer) may see it: every read, no write. One per task, made
 * the first time a tracer needs it, so tracing a task's syscalls allocates nothing after that.
 */
public final class ReadOnlyIpcBuffer implements IpcBuffer {
    private final Registers registers;

    public ReadOnlyIpcBuffer(Registers registers) {
        this.registers = registers;
    }

    /** True if this is a view of {@code r}. */
    public boolean views(Registers r) {
        return registers == r;
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("an observer may read a task's IPC buffer, not write it");
    }

    @Override
    public long mr(int index) {
        return registers.mr(index);
    }

    @Override
    public void setMr(int index, long value) {
        throw readOnly();
    }

    @Override
    public void setCap(int index, int slot) {
        throw readOnly();
    }

    @Override
    public int cap(int index) {
        return registers.cap(index);
    }

    @Override
    public void setReceiveSlot(int index, int slot) {
        throw readOnly();
    }

    @Override
    public int receiveSlot(int index) {
        return registers.receiveSlot(index);
    }

    @Override
    public int unwrapped() {
        return registers.unwrapped();
    }

    @Override
    public long capBadge(int index) {
        return registers.capBadge(index);
    }

    @Override
    public Status status() {
        return registers.status();
    }

    @Override
    public Reason reason() {
        return registers.reason();
    }

    @Override
    public long info() {
        return registers.info();
    }

    @Override
    public long badge() {
        return registers.badge();
    }

    @Override
    public long count() {
        return registers.count();
    }

    @Override
    public long handle() {
        return registers.handle();
    }

    @Override
    public long tag() {
        return registers.tag();
    }

    @Override
    public long lost() {
        return registers.lost();
    }

    @Override
    public void setMove(int index, boolean move) {
        throw readOnly();
    }

    @Override
    public boolean move(int index) {
        return registers.move(index);
    }

    @Override
    public MemorySegment mapping() {
        return registers.mapping().asReadOnly(); // an observer reads, never writes, a task's memory
    }

    @Override
    public long callerBadge() {
        return registers.callerBadge();
    }

    @Override
    public int callerLabel() {
        return registers.callerLabel();
    }

    @Override
    public long callerSendSize() {
        return registers.callerSendSize();
    }

    @Override
    public long callerRecvSize() {
        return registers.callerRecvSize();
    }
}
