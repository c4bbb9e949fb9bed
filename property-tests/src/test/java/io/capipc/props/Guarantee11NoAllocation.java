package io.capipc.props;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.bugs.InjectedBug;
import io.capipc.kernel.bugs.InjectedBugs;
import io.capipc.kernel.inspect.Outcome;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * docs/semantics.md guarantee 11, as a property: for each seed, a random mix of syscall paths (successes,
 * refusals of every kind, WOULD_BLOCK, capability operations including Move, Mutate, Revoke and
 * CancelBadgedSends, a whole Call, Read, Write, Forward, ReplyWait cycle between two tasks on one
 * thread, and the same with the context suspended: Suspend, CallerInfo, Read and Write by handle,
 * then Resume and ReplyWait, or Reply by handle, a stale handle refused, and Recv) is replayed in a loop that returns the kernel to the same state each time.
 * After warm-up, the smallest of three measured rounds must allocate 0 bytes. Platform threads'
 * counters are per thread, so the measurement is exact for the kernel's own code.
 * (kernel-model's SyscallAllocTest measures the threaded runtime the same way.)
 */
// Random syscalls with random arguments: their statuses are whatever they are; this class measures
// only what they allocate (the other properties check the statuses).
@SuppressWarnings("CheckReturnValue")
class Guarantee11NoAllocation {
    private static final com.sun.management.ThreadMXBean BEAN =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int EP = 0;
    private static final int OTHER = 1;
    private static final int SPARE = 4;

    /** One generated mix over a two-task world: the ops, by number, with their random arguments. */
    private static final class Mix {
        final Kernel kernel;
        final DeterministicDriver driver;
        final TaskHandle client;
        final TaskHandle server;
        final int[] ops;
        final long[] args;
        final MemorySegment[] send = {MemorySegment.ofArray(new byte[48]), MemorySegment.ofArray(new byte[16])};
        final MemorySegment[] recv = {MemorySegment.ofArray(new byte[64])};
        final MemorySegment scratch = MemorySegment.ofArray(new byte[32]);

        Mix(long seed, InjectedBugs bugs) {
            kernel = bugs == InjectedBugs.NONE ? new Kernel() : InjectedBugs.with(bugs, Kernel::new);
            driver = new DeterministicDriver(kernel);
            ObjectHandle ep = kernel.createEndpoint();
            SpaceHandle cs = kernel.createSpace("client", 5);
            SpaceHandle ss = kernel.createSpace("server", 4, 1);
            kernel.install(cs, EP, ep, Rights.ALL, 7);
            kernel.install(ss, EP, ep, Rights.READ, 0);
            kernel.install(ss, OTHER, ep, Rights.WRITE, 9);
            kernel.install(cs, OTHER, kernel.createNotification(), Rights.ALL, 0);
            client = kernel.createTask(cs, "client");
            server = kernel.createTask(ss, "server");
            driver.start(client);
            driver.start(server);
            SplittableRandom rnd = new SplittableRandom(seed);
            ops = new int[16];
            args = new long[16];
            for (int i = 0; i < ops.length; i++) {
                ops[i] = rnd.nextInt(13);
                args[i] = rnd.nextLong(-2, 70);
            }
        }

        /** Runs every op once; each leaves the kernel as it found it, so the loop can repeat it. */
        void once() {
            for (int i = 0; i < ops.length; i++) {
                op(ops[i], args[i]);
            }
        }

        private void op(int op, long arg) {
            int slot = (int) (arg % 6) - 1;
            switch (op) {
                case 0 -> driver.nbSend(client, slot, MessageInfo.of(1, (int) Math.abs(arg % 65)));
                case 1 -> driver.nbRecv(client, slot);
                case 2 -> driver.send(client, slot == EP ? SPARE : slot, MessageInfo.pack((int) arg - 3, 0, 0, false));
                case 3 -> driver.call(client, slot == EP ? OTHER : slot, MessageInfo.pack(1, (int) arg, 0, arg > 60), send, recv);
                case 4 -> driver.reply(client, MessageInfo.pack((int) arg, 1, (int) (arg & 7), false));
                case 5 -> driver.read(client, arg, scratch);
                case 6 -> driver.write(client, arg, scratch);
                case 7 -> {
                    driver.callerInfo(client);
                    driver.forward(client, slot, MessageInfo.of(1, 1));
                }
                case 8 -> {
                    driver.copy(client, EP, SPARE, (int) (arg & 15));
                    driver.delete(client, SPARE);
                }
                case 9 -> {
                    driver.mint(client, EP, SPARE, Rights.WRITE, arg);
                    driver.move(client, SPARE, SPARE - 1);
                    driver.mutate(client, SPARE - 1, SPARE, Rights.WRITE, 0);
                    driver.cancelBadgedSends(client, SPARE);
                    driver.revoke(client, EP);
                }
                case 10, 11 -> roundTrip(arg);
                case 12 -> suspendedTrip(arg);
                default -> throw new AssertionError(op);
            }
        }

        /** Server waits, client Calls with buffers, server reads, writes and ReplyWaits (blocking again). */
        private void roundTrip(long arg) {
            if (driver.state(server) != TaskState.BLOCKED_ON_RECEIVE) {
                expect(Outcome.BLOCKED, driver.recv(server, EP));
            }
            expect(Outcome.BLOCKED, driver.call(client, EP, MessageInfo.of(2, 3), send, recv));
            expect(Outcome.OK, driver.callerInfo(server));
            expect(Outcome.OK, driver.read(server, Math.abs(arg % 64), scratch));
            expect(Outcome.OK, driver.write(server, Math.abs(arg % 32), scratch));
            expect(Outcome.BLOCKED, driver.replyWait(server, EP, MessageInfo.of(0, 2)));
            expect(Outcome.OK, Outcome.of(driver.ipc(client).status()));
        }

        /**
         * As {@link #roundTrip}, but the server suspends the context, reads, writes and asks CallerInfo
         * by handle, then either resumes it and ReplyWaits, or replies by handle (and is refused the
         * used-up handle) and receives again (docs/semantics.md §5.2).
         */
        private void suspendedTrip(long arg) {
            if (driver.state(server) != TaskState.BLOCKED_ON_RECEIVE) {
                expect(Outcome.BLOCKED, driver.recv(server, EP));
            }
            expect(Outcome.BLOCKED, driver.call(client, EP, MessageInfo.of(2, 3), send, recv));
            expect(Outcome.OK, driver.suspend(server));
            long h = driver.ipc(server).handle();
            expect(Outcome.OK, driver.callerInfo(server, h));
            expect(Outcome.OK, driver.read(server, h, Math.abs(arg % 64), scratch));
            expect(Outcome.OK, driver.write(server, h, Math.abs(arg % 32), scratch));
            if ((arg & 1) == 0) {
                expect(Outcome.OK, driver.resume(server, h));
                expect(Outcome.BLOCKED, driver.replyWait(server, EP, MessageInfo.of(0, 2)));
            } else {
                expect(Outcome.OK, driver.reply(server, h, MessageInfo.of(0, 2)));
                expect(Outcome.INVALID_CAPABILITY, driver.reply(server, h, MessageInfo.of(0, 2)));
                expect(Outcome.BLOCKED, driver.recv(server, EP));
            }
            expect(Outcome.OK, Outcome.of(driver.ipc(client).status()));
        }

        private static void expect(Outcome want, Outcome got) {
            if (want != got) {
                throw new AssertionError("expected " + want + ", was " + got);
            }
        }
    }

    /** The smallest number of bytes one of three rounds of {@code n} mixes allocated, after warm-up. */
    private static long allocated(Mix mix, int n) {
        for (int i = 0; i < n; i++) {
            mix.once();
        }
        long best = Long.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            long before = BEAN.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                mix.once();
            }
            best = Math.min(best, BEAN.getCurrentThreadAllocatedBytes() - before);
        }
        return best;
    }

    @Test
    void generatedSyscallMixes_allocateNothingAfterWarmUp() {
        int runs = Integer.getInteger("capipc.props.allocRuns", 5);
        long base = Long.getLong("capipc.props.base", 1L);
        for (long seed = base; seed < base + runs; seed++) {
            Mix mix = new Mix(seed, InjectedBugs.NONE);
            assertEquals(0, allocated(mix, 20_000), "seed " + seed + " allocated; replay with -Dcapipc.props.base=" + seed);
            assertEquals(java.util.List.of(), mix.kernel.invariantViolations());
        }
    }

    /** An injected fault of guarantee 11: Suspend that allocates (it must use only its pool) is caught. */
    @Test
    void suspendThatAllocates_isCaught() {
        Mix mix = new Mix(1, InjectedBugs.of(InjectedBug.SUSPEND_ALLOCATES));
        mix.ops[0] = 12;
        assertTrue(allocated(mix, 20_000) > 0, "an allocating Suspend went unnoticed");
    }

    /** The injected fault of guarantee 11: NBSend that allocates is caught. */
    @Test
    void nbSendThatAllocates_isCaught() {
        Mix mix = new Mix(1, InjectedBugs.of(InjectedBug.NBSEND_ALLOCATES));
        mix.ops[0] = 0;
        assertTrue(allocated(mix, 20_000) > 0, "an allocating NBSend went unnoticed");
    }
}
