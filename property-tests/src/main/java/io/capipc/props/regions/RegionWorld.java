package io.capipc.props.regions;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.props.harness.TracerView;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel side of a region run: {@link #SPACES} Spaces of {@link #SLOTS} slots, one task each;
 * slot {@link #EP} of each holds one endpoint with every right, for transfers; two regions, of
 * {@link #MEMORY} bytes, boot in Space 0 and Space 1, slot 0. Every view Map returned is kept, in the
 * order the model numbers them.
 */
final class RegionWorld {
    static final int SPACES = 3;
    static final int SLOTS = 8;
    static final int EP = SLOTS - 1;
    static final long[] MEMORY = {256, 64};

    /** What an access through a view did. */
    enum Access { DONE, ENDED, READ_ONLY }

    final Kernel kernel;
    final DeterministicDriver d;
    /** Checks what a tracer is shown of each IPC buffer (every Map's mapping among it). */
    final TracerView tracer;
    final TaskHandle[] tasks = new TaskHandle[SPACES];
    final SpaceHandle[] spaces = new SpaceHandle[SPACES];
    /** The kernel's id of the boot region over each memory. */
    final int[] rootIds = new int[MEMORY.length];
    final List<MemorySegment> views = new ArrayList<>();

    RegionWorld(InjectedBugs bugs) {
        kernel = bugs == InjectedBugs.NONE ? new Kernel() : InjectedBugs.with(bugs, Kernel::new);
        d = new DeterministicDriver(kernel);
        tracer = TracerView.watch(kernel, d);
        ObjectHandle ep = kernel.createEndpoint();
        for (int s = 0; s < SPACES; s++) {
            spaces[s] = kernel.createSpace("s" + s, SLOTS);
            kernel.install(spaces[s], EP, ep, Rights.ALL, 0);
        }
        for (int m = 0; m < MEMORY.length; m++) {
            ObjectHandle r = kernel.createRegion(MEMORY[m]);
            rootIds[m] = r.id();
            kernel.install(spaces[m], 0, r, Rights.ALL, 0);
        }
        for (int s = 0; s < SPACES; s++) {
            tasks[s] = kernel.createTask(spaces[s], "t" + s);
            d.start(tasks[s]);
        }
    }

    IpcBuffer ipc(int t) {
        return d.ipc(tasks[t]);
    }

    /**
     * A transfer: {@code to} waits in Recv with receive slot {@code dst}; {@code from} sends one
     * capability. A refused send is followed by an empty one, so the receiver is never left waiting.
     * Returns the send's outcome; the receiver's IPC buffer says how many arrived.
     */
    Outcome transfer(int from, int to, int src, int dst, boolean move) {
        ipc(to).setReceiveSlot(0, dst);
        Outcome waiting = d.recv(tasks[to], EP);
        if (waiting != Outcome.BLOCKED) {
            throw new IllegalStateException("the receiver did not wait: " + waiting);
        }
        ipc(from).setCap(0, src);
        ipc(from).setMove(0, move);
        Outcome sent = d.send(tasks[from], EP, MessageInfo.of(0, 0, 1));
        if (sent != Outcome.OK) {
            Outcome empty = d.send(tasks[from], EP, MessageInfo.of(0, 0));
            if (empty != Outcome.OK) {
                throw new IllegalStateException("an empty send was refused: " + empty);
            }
        }
        return sent;
    }

    /** Writes {@code value} at {@code offset} of a view. */
    static Access write(MemorySegment view, long offset, byte value) {
        try {
            view.set(JAVA_BYTE, offset, value);
            return Access.DONE;
        } catch (IllegalStateException ended) {
            return Access.ENDED;
        } catch (IllegalArgumentException | UnsupportedOperationException readOnly) {
            return Access.READ_ONLY;
        }
    }

    /** Reads the byte at {@code offset} of a view into {@code out[0]}. */
    static Access read(MemorySegment view, long offset, byte[] out) {
        try {
            out[0] = view.get(JAVA_BYTE, offset);
            return Access.DONE;
        } catch (IllegalStateException ended) {
            return Access.ENDED;
        }
    }
}
