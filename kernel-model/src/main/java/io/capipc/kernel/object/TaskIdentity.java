package io.capipc.kernel.object;

import io.capipc.api.MessageInfo;
import io.capipc.api.SystemMessage;
import io.capipc.cap.CSpace;
import io.capipc.cap.KernelObject;
import io.capipc.cap.Slot;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Task} holds from creation to the end, kept apart from what transitions change (see
 * {@link TaskPad}): another core's transition reads these references to reach the task's registers
 * and context, and finds them in its own cache instead of on a line the task's last transition wrote.
 */
abstract class TaskIdentity {
    final int id;
    final String name;
    final Space space;
    /**
     * The IPC buffer. Fixed for a run of the task: only Restart on the threaded runtime replaces it
     * (a fresh buffer, so the killed thread's last touches of its wake count and parked flag cannot
     * reach the new one).
     */
    Registers registers = new Registers();
    final CallerContext reply;
    final Notice faulted = new Notice(SystemMessage.TASK_FAULTED, null);
    /**
     * The TCB's own capability slot (seL4 MCS's fault-handler slot): the fault endpoint, copied in
     * when the task is created, so the task cannot redirect its faults by changing its Space.
     */
    final CSpace tcb;
    /**
     * Read once (docs/semantics.md §7): the capability slots a send names and the receive slots a receive
     * names, copied out of the IPC buffer when the syscall is made; delivery reads only these.
     */
    final int[] sendCaps = new int[MessageInfo.MAX_CAPS];
    final boolean[] sendMoves = new boolean[MessageInfo.MAX_CAPS];
    final int[] receiveSlots = {-1, -1, -1, -1};
    /**
     * What a partner's transition writes of this task every time: its state and three flags (it holds
     * a context, its own context is a server's current one, it is queued), bytes {@link #STATE} to
     * {@link #QUEUED} of an array of their own, 64 bytes from its start and 60 from its end, so they
     * are one line wherever the heap puts the array and share it with nothing. Partners write them
     * without reading them, so a Call or a reply does not wait to fetch this line; on the common path
     * only the task itself reads them (docs/benchmarks.md, "The line budget").
     */
    final byte[] stateLine = new byte[STATE_LINE_BYTES];
    static final int STATE = 64;
    static final int HOLDS = 65;
    static final int CONTEXT_HELD = 66;
    static final int QUEUED = 67;
    private static final int STATE_LINE_BYTES = 128;

    TaskIdentity(int id, String name, Space space) {
        this.id = id;
        this.name = name;
        this.space = space;
        this.tcb = new CSpace(id, 1);
        this.reply = new CallerContext((Task) this);
    }
}

/** Two cache lines between a task's fixed references and its state, so writes to one never evict the other. */
abstract class TaskPad extends TaskIdentity {
    /** Fills the 4-byte gap the fixed part leaves before the longs, which a subclass's field would take. */
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;

    TaskPad(int id, String name, Space space) {
        super(id, name, space);
    }
}

/**
 * What other tasks' transitions read of a {@link Task} (its queued send, its queue links, the context
 * it holds, whether it carries an async port entry), each written only when it changes, so a
 * partner's transition finds it in its own cache (the state and flags they write are in
 * {@code stateLine}); kept apart, by {@link TaskSharedPad}, from what the task's own syscalls write
 * every time (decode's results).
 */
abstract class TaskShared extends TaskPad {
    /** Valid only while the task is blocked on a queue (see {@link Task#blockedOn()}); written only when it changes. */
    @Nullable KernelObject blockedOn;
    boolean isCall;
    long sendInfo;
    long sendBadge;
    @Nullable Slot sendSlot;
    boolean receiveGrant;
    @Nullable Notification bound;
    long deadline = Long.MAX_VALUE;
    boolean holdsCancelled;
    /** Set once, for a task the kernel made to carry an async port's entry (docs/semantics.md §5.5). */
    @Nullable Courier courier;

    /*
     * The context this task holds as a server, and the queue it is linked into: each valid only while
     * its flag in {@code stateLine} is set, and written only when it changes, so a transition that
     * takes or gives a context, or queues the task, writes a flag beside the state it writes anyway.
     */
    @Nullable CallerContext held;
    @Nullable TaskQueue queuedIn;

    @Nullable Task queueNext;
    @Nullable Task queuePrev;

    TaskShared(int id, String name, Space space) {
        super(id, name, space);
    }
}

/** Two cache lines between what partners read and what the task's own syscalls write. */
abstract class TaskSharedPad extends TaskShared {
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;

    TaskSharedPad(int id, String name, Space space) {
        super(id, name, space);
    }
}
