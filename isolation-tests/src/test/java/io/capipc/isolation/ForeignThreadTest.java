package io.capipc.isolation;

import static io.capipc.isolation.Boot.EP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.api.TaskState;
import java.lang.reflect.InaccessibleObjectException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Threads, on the threaded runtime (the driver has none). A task is one thread of control: its
 * syscalls refuse any other thread, even one its own body started. But every thread of a JVM can see
 * every other, and the JDK lets any of them interrupt or unpark another; no module boundary stops
 * that. These tests pin down what it comes to: an unpark wakes nothing, the object a parked task's
 * thread blocks on cannot be used, and an interrupt ends the victim's blocked syscall with
 * INTERRUPTED, a transition the kernel already defines (SPEC section 6), after which the kernel is
 * consistent and the victim serves on. That last one is a limit of running tasks as threads of one
 * JVM, not a way into the kernel: see docs/testing.md.
 */
class ForeignThreadTest {
    private final ThreadedSystem threaded = new ThreadedSystem();

    @AfterEach
    void stop() throws InterruptedException {
        threaded.close();
    }

    @Test
    void syscalls_fromAThreadTheBodyStarted_wrongThreadException() {
        List<Throwable> thrown = threaded.attack(sys -> {
            AtomicReference<Throwable> send = new AtomicReference<>();
            AtomicReference<Throwable> call = new AtomicReference<>();
            Thread helper = Thread.ofPlatform().name("helper").start(() -> {
                send.set(assertThrows(Throwable.class, () -> sys.nbSend(EP, MessageInfo.of(1, 0))));
                call.set(assertThrows(Throwable.class, () -> sys.call(EP, MessageInfo.of(1, 0))));
            });
            helper.join();
            return List.of(send.get(), call.get(), new Throwable(Thread.currentThread().getName()));
        });
        String owner = thrown.get(2).getMessage();
        for (Throwable e : thrown.subList(0, 2)) {
            assertInstanceOf(WrongThreadException.class, e);
            assertTrue(e.getMessage().endsWith("were made from thread 'helper'; only its own thread '" + owner
                    + "' may make them"), e.getMessage());
        }
        threaded.assertUnharmed();
    }

    @Test
    void unpark_ofTheServersThread_wakesNothing() {
        threaded.attack(sys -> {
            Thread server = serverThread();
            for (int i = 0; i < 10_000; i++) {
                LockSupport.unpark(server);
            }
            return server;
        });
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, threaded.boot.kernel.inspect().task(threaded.boot.server.id()).state());
        threaded.assertUnharmed();
    }

    @Test
    void blocker_ofTheParkedServersThread_isAKernelObjectThatCannotBeUsed() {
        Set<String> refused = threaded.attack(sys -> {
            Object parker = parkedOn(serverThread());
            assertEquals("io.capipc.kernel.run.Parker", parker.getClass().getName());
            assertThrows(IllegalAccessException.class, () -> parker.getClass().getDeclaredMethod("wake").invoke(parker));
            assertThrows(InaccessibleObjectException.class, () -> parker.getClass().getDeclaredMethod("wake").setAccessible(true));
            return Reflect.assertCannotOpen(parker.getClass());
        });
        assertTrue(refused.containsAll(Set.of("flags", "thread", "wake", "await")), refused::toString);
        assertEquals(TaskState.BLOCKED_ON_RECEIVE, threaded.boot.kernel.inspect().task(threaded.boot.server.id()).state());
        threaded.assertUnharmed();
    }

    @Test
    void interrupt_ofTheServersThread_endsItsBlockedRecvWithInterrupted_andNothingElse() {
        Thread found = threaded.attack(sys -> {
            Thread server = serverThread();
            server.interrupt();
            return server;
        });
        assertSame(threaded.serverThread, found);
        long deadline = System.nanoTime() + ThreadedSystem.LIMIT.toNanos();
        while (threaded.serverSaw.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        assertEquals(List.of(Status.INTERRUPTED), threaded.serverSaw);
        threaded.awaitServer(TaskState.BLOCKED_ON_RECEIVE);
        threaded.assertUnharmed(Status.INTERRUPTED);
    }

    /** The server's thread, found as any code can find any thread of the JVM: by looking. */
    private static Thread serverThread() {
        List<Thread> named = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("server")).toList();
        assertEquals(1, named.size(), named::toString);
        return named.getFirst();
    }

    /** What {@code t} is parked on, waiting a bounded time for it to park (it spins first). */
    private static Object parkedOn(Thread t) {
        long deadline = System.nanoTime() + ThreadedSystem.LIMIT.toNanos();
        Object blocker = LockSupport.getBlocker(t);
        while (blocker == null) {
            if (System.nanoTime() - deadline > 0) {
                fail(t + " did not park in " + ThreadedSystem.LIMIT);
            }
            Thread.onSpinWait();
            blocker = LockSupport.getBlocker(t);
        }
        assertNotNull(blocker);
        return blocker;
    }
}
