package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.object.Registers;
import io.capipc.kernel.object.Space;
import io.capipc.kernel.object.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.LincheckAssertionError;
import org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * The one lock-free protocol of the kernel, model-checked: {@link Parker#wake} against
 * {@link Parker#await}, Dekker's handshake on the signal and parked flags of a task's
 * {@link Registers}. Lincheck, in model-checking mode, runs each scenario below on a fresh
 * {@link World} and explores the interleavings of its threads at the flag accesses, parks, unparks
 * and interrupts; after every thread has finished, {@link World#contractHolds()} checks Parker's
 * documented contract:
 *
 * <ul>
 *   <li>a wake is never lost: an await without deadline or interrupt returns WOKEN and never parks
 *       for ever (Lincheck reports a waiter nobody unparks as a hang);
 *   <li>WOKEN consumes the signal; TIMED_OUT and INTERRUPTED leave a wake that raced them set, for
 *       {@link Parker#consumeSignal} (what {@link Blocking} calls when the completion won the race);
 *   <li>INTERRUPTED clears the thread's interrupt status; any other result leaves an interrupt that
 *       arrived set;
 *   <li>the parked flag is down again once await has returned.
 * </ul>
 *
 * <p>Two settings make Lincheck see the protocol at all; without them every check here passes
 * against a broken Parker (tried):
 *
 * <ul>
 *   <li>The flags are ints in native memory (the mailbox segment), which Lincheck does not track as
 *       shared memory, so it would never switch threads between them. Each flag accessor of
 *       Registers is one VarHandle access, so they are declared atomic: each is a switch point.
 *   <li>Lincheck lets {@code LockSupport.park} return spuriously, as the JDK may; the waiter's loop
 *       then re-reads the signal and finds it, so a lost wake passes unseen. Parker's {@code park}
 *       method is made a silent section, the one kind whose parks Lincheck never ends spuriously.
 * </ul>
 *
 * <p>What this does not check, by Lincheck's design: a silent section has no switch points, so the
 * waiter's {@code park} method (publish parked, read the signal, park) is one step here, raced by
 * every step of the waker and of the waiter's spin and await; swapping the waiter's two flag
 * accesses inside it passes (tried). A timed park may end at its deadline, and an interrupt unparks,
 * so only the untimed scenario can show a lost wake as a hang; the others check the rest of the
 * contract. Lincheck explores sequentially consistent executions only, so it checks the order of
 * the handshake, not each access's memory order (Registers names that in every accessor).
 * {@link #brokenWaker_readsParkedFirst_reportedAsHang} keeps the check honest: the same model check,
 * against a waker that reads the parked flag before it publishes the signal, must report a hang.
 */
class ParkerModelCheckTest {
    /** Far enough that no deadline or spin ends on Lincheck's clock during a scenario. */
    private static final long HOUR = 3_600_000_000_000L;
    private static final int NOT_RUN = -1;

    /**
     * One Parker, one waiter, one waker (and an interrupter), made fresh for each interleaving. The
     * waiter publishes its Parker before it waits, as the runtime registers a task's Parker before
     * its thread runs; the other operations wait for it to appear.
     */
    public static class World {
        /**
         * One task's IPC buffer for every interleaving (making a task per interleaving is most of the
         * run time under Lincheck); each World starts it with the parked flag down, and its Parker
         * counts the wakes earlier Worlds left as consumed, as a task's new Parker does.
         */
        private static final Registers FLAGS = new Task(0, "waiter", new Space(0, "waiter", 1, 0, 1)).ipc();
        private final Registers flags = FLAGS;

        public World() {
            flags.clearParkedOpaque();
        }
        private volatile Parker parker;
        private volatile Thread waiter;
        private volatile boolean interruptSent;
        private int result = NOT_RUN;
        /** The results this scenario's await may return, as bits by result. */
        private int allowed;
        private boolean interruptible;
        private boolean interruptLeft;

        /** No deadline, no spin: parks at once unless the wake came first. */
        @Operation
        public void awaitForever() {
            await(0, Long.MAX_VALUE, 1 << Parker.WOKEN);
        }

        /** Spins (for longer than any scenario lasts) instead of parking. */
        @Operation
        public void awaitSpinning() {
            await(HOUR, Long.MAX_VALUE, 1 << Parker.WOKEN);
        }

        /** A deadline an hour away: the timed park, which the wake must end. */
        @Operation
        public void awaitWithLaterDeadline() {
            await(0, System.nanoTime() + HOUR, 1 << Parker.WOKEN);
        }

        /** A deadline already due: the wake races the timeout. */
        @Operation
        public void awaitWithDueDeadline() {
            await(0, System.nanoTime(), 1 << Parker.WOKEN | 1 << Parker.TIMED_OUT);
        }

        /** No deadline, racing an interrupt; then reads (and clears) what is left of the interrupt. */
        @Operation
        public void awaitInterruptible() {
            interruptible = true;
            await(0, Long.MAX_VALUE, 1 << Parker.WOKEN | 1 << Parker.INTERRUPTED);
            while (!interruptSent) {
                Thread.onSpinWait();
            }
            interruptLeft = Thread.interrupted();
        }

        private void await(long spinNanos, long deadline, int allowedResults) {
            allowed = allowedResults;
            waiter = Thread.currentThread();
            Parker p = new Parker(waiter, flags);
            parker = p;
            result = p.await(spinNanos, deadline);
        }

        /** The waker: what a transition does after writing the waiter's result. */
        @Operation
        public void wake() {
            Parker p;
            while ((p = parker) == null) {
                Thread.onSpinWait();
            }
            p.wake();
        }

        /** A Java interrupt of the waiter's thread. */
        @Operation
        public void interruptWaiter() {
            Thread t;
            while ((t = waiter) == null) {
                Thread.onSpinWait();
            }
            t.interrupt();
            interruptSent = true;
        }

        /**
         * A deliberately broken waker, to show the check can fail: it reads the parked flag before
         * it publishes the signal, so a waiter that parks in between is never unparked.
         */
        @Operation
        public void brokenWake() {
            while (parker == null) {
                Thread.onSpinWait();
            }
            boolean parked = flags.parkedVolatile() != 0;
            flags.setSignalVolatile(flags.signalAcquire() + 1);
            if (parked) {
                LockSupport.unpark(waiter);
            }
        }

        /** Parker's contract, once every thread of the scenario has finished. */
        @Validate
        public void contractHolds() {
            if (result == NOT_RUN) {
                return; // the validation after the (empty) initial part
            }
            require((allowed & 1 << result) != 0, "await returned " + name(result) + ", which this scenario forbids");
            require(flags.parkedVolatile() == 0, "the parked flag is still up after await returned");
            if (result == Parker.WOKEN) {
                require(!parker.signalled(), "WOKEN left the wake pending: the next await would return at once");
            } else {
                require(parker.signalled(), name(result) + " lost the wake that raced it");
                parker.consumeSignal();
                require(!parker.signalled(), "consumeSignal left the wake pending");
            }
            if (interruptible) {
                require(interruptLeft == (result != Parker.INTERRUPTED), name(result) + " with the interrupt status "
                        + (interruptLeft ? "still set" : "cleared") + ": an interrupt was "
                        + (interruptLeft ? "reported and kept" : "swallowed"));
            }
        }

        private static void require(boolean holds, String broken) {
            if (!holds) {
                throw new AssertionError(broken);
            }
        }

        private static String name(int result) {
            return switch (result) {
                case Parker.WOKEN -> "WOKEN";
                case Parker.TIMED_OUT -> "TIMED_OUT";
                case Parker.INTERRUPTED -> "INTERRUPTED";
                default -> "result " + result;
            };
        }
    }

    /**
     * The sequential specification Lincheck compares results with: every operation returns nothing,
     * so it always matches; the contract is checked by {@link World#contractHolds()} instead (a
     * blocking await has no sequential meaning).
     */
    public static class NoResults {
        public void awaitForever() {}

        public void awaitSpinning() {}

        public void awaitWithLaterDeadline() {}

        public void awaitWithDueDeadline() {}

        public void awaitInterruptible() {}

        public void wake() {}

        public void interruptWaiter() {}

        public void brokenWake() {}
    }

    /** A scenario with one thread per operation named, all in parallel. */
    private static ExecutionScenario parallel(String... operations) throws NoSuchMethodException {
        List<List<Actor>> threads = new ArrayList<>();
        for (String op : operations) {
            threads.add(List.of(new Actor(World.class.getMethod(op), List.of())));
        }
        return new ExecutionScenario(List.of(), threads, List.of(), null);
    }

    /**
     * Explores {@code scenario} only. Each deliberately broken Parker tried was caught within 1 000
     * interleavings with a thread switch after 3 spins of a loop; {@code -Dparker.invocations=} and
     * {@code -Dparker.loop=} explore further.
     */
    private static void check(ExecutionScenario scenario) {
        new ModelCheckingOptions()
                .iterations(0)
                .loopIterationsBeforeThreadSwitch(Integer.getInteger("parker.loop", 3))
                .invocationsPerIteration(Integer.getInteger("parker.invocations", 1_000))
                .addCustomScenario(scenario)
                .sequentialSpecification(NoResults.class)
                .addGuarantee(ManagedStrategyGuaranteeKt.forClasses(Registers.class.getName())
                        .methods("signalAcquire", "signalVolatile", "setSignalVolatile",
                                "parkedVolatile", "setParkedVolatile", "clearParkedOpaque")
                        .treatAsAtomic())
                .addGuarantee(ManagedStrategyGuaranteeKt.forClasses(Parker.class.getName()).methods("park")
                        .mute$lincheck())
                .check(World.class);
    }

    @Test
    void wake_racingUntimedAwait_wokenNeverParkedForever() throws Exception {
        check(parallel("awaitForever", "wake"));
    }

    @Test
    void wake_racingSpinningAwait_woken() throws Exception {
        check(parallel("awaitSpinning", "wake"));
    }

    @Test
    void wake_racingTimedPark_wokenBeforeTheDeadline() throws Exception {
        check(parallel("awaitWithLaterDeadline", "wake"));
    }

    @Test
    void wake_racingDueDeadline_wokenOrTimedOutWithTheWakeLeftForConsumeSignal() throws Exception {
        check(parallel("awaitWithDueDeadline", "wake"));
    }

    @Test
    void wake_racingInterrupt_wokenKeepsTheInterruptInterruptedClearsItWakeNeverLost() throws Exception {
        check(parallel("awaitInterruptible", "wake", "interruptWaiter"));
    }

    @Test
    void brokenWaker_readsParkedFirst_reportedAsHang() throws Exception {
        ExecutionScenario scenario = parallel("awaitForever", "brokenWake");
        LincheckAssertionError e = assertThrows(LincheckAssertionError.class, () -> check(scenario));
        assertTrue(e.getMessage().contains("The execution has hung"), e.getMessage());
    }
}
