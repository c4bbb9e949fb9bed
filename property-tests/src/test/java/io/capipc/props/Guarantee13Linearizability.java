package io.capipc.props;

import static io.capipc.props.LincheckWorld.COPY_DST;
import static io.capipc.props.LincheckWorld.INBOX;
import static io.capipc.props.LincheckWorld.MINT_DST;
import static io.capipc.props.LincheckWorld.WORK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.kernel.inspect.Outcome;
import java.util.List;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 13: concurrent syscalls behave as some sequential order of the same syscalls.
 *
 * <p>Lincheck, in model-checking mode, runs small concurrent scenarios of the {@link Operation}s
 * below on a fresh {@link LincheckWorld} each, explores thread interleavings at every shared-memory
 * access and lock acquisition inside the kernel and the threaded runtime, and requires every
 * outcome to equal the outcome of some sequential order of the same operations (run on this same
 * class as the sequential specification).
 *
 * <p>Each operation is one non-blocking syscall by an actor task (a parameter, so two threads may act
 * as different tasks or the same one), made through the kernel's dispatch (one transition under its
 * lock, whichever thread makes it), and returns an immutable string of its observable outcome: the
 * status and, on success, what arrived in the acting task's IPC buffer. The syscall and the reads of
 * the IPC buffer are wrapped in {@code synchronized (world.lock)} so that they form one observation;
 * without it two Lincheck threads acting as one task could interleave between a syscall and the read
 * of its result, which a real task never does (a task is one thread).
 * {@link #observe()} reads the effects on the blocked tasks; {@link #invariantsHold()} checks the
 * kernel's invariants after every scenario part.
 *
 * <p>Blocking syscalls are left out: a Lincheck thread parked in the kernel would never come back.
 * {@link PeekThenTake} shows the check can fail: an NBRecv split into two critical sections is
 * caught.
 */
@Param(name = "task", gen = IntGen.class, conf = "0:2")
@Param(name = "slot", gen = IntGen.class, conf = "0:3")
@Param(name = "label", gen = IntGen.class, conf = "1:3")
public class Guarantee13Linearizability {
    private final LincheckWorld world = new LincheckWorld();

    /**
     * Small on purpose, to keep CI fast on a 2-core machine; a deeper run can raise them with
     * {@code -Dg13.iterations=}, {@code -Dg13.invocations=} and {@code -Dg13.actorsPerThread=}.
     */
    private static ModelCheckingOptions options() {
        return new ModelCheckingOptions()
                .iterations(Integer.getInteger("g13.iterations", 40))
                .invocationsPerIteration(Integer.getInteger("g13.invocations", 100))
                .threads(2)
                .actorsPerThread(Integer.getInteger("g13.actorsPerThread", 2))
                .actorsBefore(Integer.getInteger("g13.actorsBefore", 1))
                .actorsAfter(1);
    }

    // ---- Operations: one non-blocking syscall each, and what it observably did.

    /** NBSend of {@code label} with MR0 = 1000 * task + label through {@code slot}. */
    @Operation
    public String nbSend(@Param(name = "task") int task, @Param(name = "slot") int slot,
            @Param(name = "label") int label) {
        synchronized (world.lock) {
            world.ipc(task).setMr(0, 1000L * task + label);
            return world.driver.nbSend(world.actors[task], slot, MessageInfo.of(label, 1)).name();
        }
    }

    /** NBRecv through {@code slot}: the status and, on OK, the kind, badge, label and MR0 received. */
    @Operation
    public String nbRecv(@Param(name = "task") int task, @Param(name = "slot") int slot) {
        synchronized (world.lock) {
            Outcome s = world.driver.nbRecv(world.actors[task], slot);
            return world.statusAndReceived(s, world.actors[task]);
        }
    }

    /** Reply with {@code label} and MR0 = 100 * label; OK even without a caller (guarantee 8). */
    @Operation
    public String reply(@Param(name = "task") int task, @Param(name = "label") int label) {
        synchronized (world.lock) {
            world.ipc(task).setMr(0, 100L * label);
            return world.driver.reply(world.actors[task], MessageInfo.of(label, 1)).name();
        }
    }

    /** CallerInfo: NO_CALLER, or the current caller's badge and label. */
    @Operation
    public String callerInfo(@Param(name = "task") int task) {
        synchronized (world.lock) {
            Outcome s = world.driver.callerInfo(world.actors[task]);
            return s == Outcome.OK
                    ? "OK b=" + Long.toHexString(world.ipc(task).callerBadge()) + " l=" + world.ipc(task).callerLabel()
                    : s.name();
        }
    }

    /** Copy {@code slot} into slot COPY_DST with READ|WRITE. */
    @Operation
    public String copy(@Param(name = "task") int task, @Param(name = "slot") int slot) {
        return world.driver.copy(world.actors[task], slot, COPY_DST, Rights.READ | Rights.WRITE).name();
    }

    /** Mint {@code slot} into slot MINT_DST with READ|WRITE and the actor's mint badge. */
    @Operation
    public String mint(@Param(name = "task") int task, @Param(name = "slot") int slot) {
        return world.driver.mint(world.actors[task], slot, MINT_DST, Rights.READ | Rights.WRITE,
                LincheckWorld.mintBadge(task)).name();
    }

    /** Delete {@code slot}. */
    @Operation
    public String delete(@Param(name = "task") int task, @Param(name = "slot") int slot) {
        return world.driver.delete(world.actors[task], slot).name();
    }

    /** The blocked tasks' states, what reached them, and both endpoints' queues. */
    @Operation
    public String observe() {
        synchronized (world.lock) {
            return world.observe();
        }
    }

    /** Lincheck calls this after each part of a scenario: every kernel invariant holds. */
    @Validate
    public void invariantsHold() {
        List<String> broken = world.kernel.invariantViolations();
        if (!broken.isEmpty()) {
            throw new IllegalStateException("kernel invariants broken: " + broken);
        }
    }

    // ---- Tests.

    @Test
    void syscalls_concurrentNonBlocking_areLinearizable() {
        options().check(Guarantee13Linearizability.class);
    }

    @Test
    void peekThenTake_concurrentNbRecv_isCaughtAsNotLinearizable() {
        ModelCheckingOptions small = new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(500)
                .threads(2)
                .actorsPerThread(1)
                .actorsBefore(0)
                .actorsAfter(0);
        LincheckAssertionError e = assertThrows(LincheckAssertionError.class, () -> small.check(PeekThenTake.class));
        // Caught for the right reason: results no sequential order gives, not an exception or a hang.
        assertTrue(e.getMessage().contains("Invalid execution results"), e.getMessage());
        assertTrue(e.getMessage().contains("OK CALL b=c0 l=7 mr0=4242"), e.getMessage());
    }

    /** The world and the operations, run sequentially without Lincheck: fails fast if the setup is wrong. */
    @Test
    void operations_sequentialScript_returnSpecifiedOutcomes() {
        Guarantee13Linearizability t = new Guarantee13Linearizability();
        assertEquals("server=BLOCKED_ON_RECEIVE | caller=BLOCKED_ON_SEND | sender=BLOCKED_ON_SEND"
                + " | inbox=RECEIVERS work=SENDERS", t.observe());
        assertEquals("NO_CALLER", t.callerInfo(0));
        assertEquals("WOULD_BLOCK", t.nbRecv(0, INBOX));
        assertEquals("OK CALL b=c0 l=7 mr0=4242", t.nbRecv(0, WORK));
        assertEquals("OK b=c0 l=7", t.callerInfo(0));
        assertEquals("WOULD_BLOCK", t.nbSend(2, WORK, 1));
        assertEquals("OK", t.nbSend(1, INBOX, 2));
        assertEquals("WOULD_BLOCK", t.nbSend(2, INBOX, 3));
        assertEquals("INVALID_CAPABILITY", t.nbSend(2, COPY_DST, 3));
        assertEquals("OK", t.reply(0, 3));
        assertEquals("NO_CALLER", t.callerInfo(0));
        assertEquals("OK", t.reply(0, 1));
        assertEquals("server=RUNNING SEND b=a1 l=2 mr0=1002 | caller=RUNNING OK REPLY b=0 l=3 mr0=300"
                + " | sender=BLOCKED_ON_SEND | inbox=IDLE work=SENDERS", t.observe());
        assertEquals("INVALID_ARGUMENT", t.mint(2, INBOX));
        assertEquals("OK", t.mint(2, WORK));
        assertEquals("OK", t.copy(2, MINT_DST));
        assertEquals("SLOT_OCCUPIED", t.copy(2, MINT_DST));
        assertEquals("OK", t.delete(2, WORK));
        assertEquals("INVALID_CAPABILITY", t.nbRecv(2, WORK));
        assertEquals("OK SEND b=5e l=8 mr0=777", t.nbRecv(2, MINT_DST));
        assertEquals("WOULD_BLOCK", t.nbRecv(1, WORK));
        assertEquals("server=RUNNING SEND b=a1 l=2 mr0=1002 | caller=RUNNING OK REPLY b=0 l=3 mr0=300"
                + " | sender=RUNNING OK | inbox=IDLE work=IDLE", t.observe());
        t.invariantsHold();
    }

    @Test
    void peekThenTake_sequentially_agreesWithNbRecv() {
        PeekThenTake broken = new PeekThenTake();
        assertEquals("OK CALL b=c0 l=7 mr0=4242", broken.nbRecv(0));
        assertEquals("OK SEND b=5e l=8 mr0=777", broken.nbRecv(1));
        assertEquals("WOULD_BLOCK", broken.nbRecv(2));
    }

    /**
     * A deliberately non-linearizable NBRecv, built from correct kernel calls: it looks at the oldest
     * queued sender in one critical section and takes a message in a second one, then reports what it
     * looked at. Run alone it agrees with NBRecv; two concurrent ones can both look at the caller
     * before either takes, so both report the caller's message, which no sequential order produces.
     */
    @Param(name = "task", gen = IntGen.class, conf = "0:2")
    public static class PeekThenTake {
        private final LincheckWorld world = new LincheckWorld();

        @Operation
        public String nbRecv(@Param(name = "task") int task) {
            List<Integer> queued = world.kernel.inspect().endpoint(world.work.id()).queued();
            String looked = queued.isEmpty() ? "none" : queued.get(0) == world.caller.id()
                    ? Kind.CALL + " b=c0 l=" + LincheckWorld.CALL_LABEL + " mr0=" + LincheckWorld.CALL_MR0
                    : Kind.SEND + " b=5e l=" + LincheckWorld.SEND_LABEL + " mr0=" + LincheckWorld.SEND_MR0;
            Outcome s = world.driver.nbRecv(world.actors[task], WORK);
            return s == Outcome.OK ? "OK " + looked : s.name();
        }
    }
}
