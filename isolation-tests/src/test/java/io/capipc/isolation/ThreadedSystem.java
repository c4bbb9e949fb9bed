package io.capipc.isolation;

import static io.capipc.isolation.Boot.CLIENT_BADGE;
import static io.capipc.isolation.Boot.EP;
import static io.capipc.isolation.Boot.QUESTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.api.TaskState;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The booted system on the threaded runtime, on platform threads. The server's body answers each
 * Call with MR0 plus the caller's badge and, like any robust server, waits again after an error;
 * it is waiting in Recv when the constructor returns. A test runs its attack as the body of a new
 * task of the attacker's Space, on that task's own thread, and then checks that nothing was harmed.
 */
final class ThreadedSystem {
    static final Duration LIMIT = Duration.ofSeconds(10);
    /** The label of the message that stops the server. */
    private static final int STOP = 99;

    /** Code a task body runs; what it returns or throws is handed to the test's thread. */
    @FunctionalInterface
    interface TaskCode<T> {
        T run(Syscalls sys) throws Throwable;
    }

    final Boot boot = new Boot();
    final ThreadedRuntime runtime = new ThreadedRuntime(boot.kernel, ThreadedRuntime.Threads.PLATFORM);
    /** The statuses other than OK the server's blocking syscalls ended with, in order. */
    final List<Status> serverSaw = new CopyOnWriteArrayList<>();
    final Thread serverThread;
    private final AtomicInteger tasks = new AtomicInteger();

    ThreadedSystem() {
        serverThread = runtime.start(boot.server, this::serve);
        awaitServer(TaskState.BLOCKED_ON_RECEIVE);
    }

    private void serve(Syscalls sys) {
        Status s = sys.recv(EP);
        while (s != Status.OK || sys.ipc().label() != STOP) {
            if (s == Status.OK) {
                sys.ipc().setMr(0, sys.ipc().mr(0) + sys.ipc().badge());
                s = sys.replyWait(EP, MessageInfo.of(0, 1));
            } else {
                serverSaw.add(s);
                s = sys.recv(EP);
            }
        }
    }

    /** Waits, a bounded time, until the server is in {@code state}. */
    void awaitServer(TaskState state) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (boot.kernel.inspect().task(boot.server.id()).state() != state) {
            if (System.nanoTime() - deadline > 0) {
                fail("the server is not " + state + " after " + LIMIT);
            }
            Thread.onSpinWait();
        }
    }

    /** Runs {@code code} as the body of a new attacker task; returns what it returned, fails if it threw. */
    <T> T attack(TaskCode<T> code) {
        return inTask(boot.attackerSpace, code);
    }

    /** Runs {@code code} as the body of a new attacker task; returns what it threw, fails if it returned. */
    Throwable attackThrows(TaskCode<?> code) {
        CompletableFuture<Object> outcome = start(boot.attackerSpace, code);
        try {
            Object value = outcome.get(LIMIT.toNanos(), TimeUnit.NANOSECONDS);
            return fail("the attack succeeded, returning " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            return fail("the attacker did not finish in " + LIMIT, e);
        }
    }

    /** Runs {@code code} as the body of a new task of {@code space}; returns what it returned, fails if it threw. */
    @SuppressWarnings("unchecked")
    <T> T inTask(SpaceHandle space, TaskCode<T> code) {
        CompletableFuture<Object> outcome = start(space, code);
        try {
            return (T) outcome.get(LIMIT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            return fail("the task's code threw", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            return fail("the task did not finish in " + LIMIT, e);
        }
    }

    private CompletableFuture<Object> start(SpaceHandle space, TaskCode<?> code) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        TaskHandle task = boot.kernel.createTask(space, space.name() + "-" + tasks.incrementAndGet());
        runtime.start(task, sys -> {
            try {
                outcome.complete(code.run(sys));
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        });
        return outcome;
    }

    /**
     * Nothing was harmed: the kernel's invariants hold, no body threw, the server's syscalls ended
     * with nothing but {@code serverSawExpected} besides OK, and a client's Call is still answered with
     * the client's own badge.
     */
    void assertUnharmed(Status... serverSawExpected) {
        assertEquals(List.of(), boot.kernel.invariantViolations());
        long answer = inTask(boot.clientSpace, sys -> {
            sys.ipc().setMr(0, QUESTION);
            // Half the wait below, so a server that never answers shows as TIMEOUT here.
            assertEquals(Status.OK, sys.call(EP, MessageInfo.of(1, 1), LIMIT.toNanos() / 2));
            return sys.ipc().mr(0);
        });
        assertEquals(QUESTION + CLIENT_BADGE, answer);
        assertEquals(List.of(serverSawExpected), serverSaw);
        assertEquals(Map.of(), runtime.failures());
        assertEquals(List.of(), boot.kernel.invariantViolations());
    }

    /** Stops the server and waits for every task to end; the kernel must still be consistent. */
    void close() throws InterruptedException {
        inTask(boot.clientSpace, sys -> sys.send(EP, MessageInfo.of(STOP, 0), LIMIT.toNanos()));
        assertTrue(runtime.awaitTermination(LIMIT), "tasks still running after " + LIMIT);
        assertEquals(Map.of(), runtime.failures());
        assertEquals(List.of(), boot.kernel.invariantViolations());
    }
}
