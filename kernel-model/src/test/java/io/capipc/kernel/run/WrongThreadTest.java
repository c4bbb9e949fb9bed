package io.capipc.kernel.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.api.Syscalls;
import io.capipc.api.TaskState;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.inspect.KernelView;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Only a task's own thread may make its syscalls (see {@link TaskSyscalls}): every other thread gets
 * {@link WrongThreadException} at once, naming both threads, and the kernel is left exactly as it
 * was; the owner can go on as before. Every method of {@link Syscalls} is tried, found by
 * reflection, so a syscall added later is covered too. The IPC buffer is the one exception: it is
 * memory of the task's Space, which any thread may touch.
 */
class WrongThreadTest {
    private static final int EP = 0;
    private static final int NTFN = 1;
    /** Long enough for any syscall to throw; a syscall that blocked instead would never end. */
    private static final Duration AT_ONCE = Duration.ofSeconds(10);

    private final Kernel kernel = new Kernel();
    private final ThreadedRuntime rt = new ThreadedRuntime(kernel, ThreadedRuntime.Threads.PLATFORM);
    private final ObjectHandle endpoint = kernel.createEndpoint();
    private final TaskHandle me;
    private final Syscalls sys;

    WrongThreadTest() {
        SpaceHandle space = kernel.createSpace("me", 8);
        kernel.install(space, EP, endpoint, Rights.ALL, 0);
        kernel.install(space, NTFN, kernel.createNotification(), Rights.ALL, 1);
        me = kernel.createTask(space, "me");
        sys = rt.adopt(me);
    }

    @AfterEach
    void exitAdopted() {
        rt.exit(me);
        assertEquals(List.of(), kernel.invariantViolations());
    }

    /** Every syscall of the interface: all its methods but {@code ipc()}. */
    static Stream<Arguments> syscalls() {
        return Arrays.stream(Syscalls.class.getMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()) && !m.getName().equals("ipc"))
                .sorted(Comparator.comparing(WrongThreadTest::signature))
                .map(m -> Arguments.of(signature(m), m));
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /** Arguments a syscall would act on if it ran: the endpoint's slot, a sendable word, real segments. */
    private static Object[] argumentsFor(Method m) {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            args[i] = t == int.class ? EP
                    : t == long.class ? MessageInfo.of(1, 0)
                    : t == MemorySegment.class ? MemorySegment.ofArray(new byte[8])
                    : t == MemorySegment[].class ? new MemorySegment[] {MemorySegment.ofArray(new byte[8])}
                    : t == io.capipc.api.ObjectType.class ? io.capipc.api.ObjectType.ENDPOINT
                    : unexpected(t, m);
        }
        return args;
    }

    private static Object unexpected(Class<?> type, Method m) {
        throw new AssertionError("no argument for a " + type + " of " + signature(m) + "; teach argumentsFor");
    }

    /** Runs {@code call} on a new thread named "intruder"; what it threw, or null. */
    private static Throwable fromIntruder(Invocation call) throws InterruptedException {
        Throwable[] thrown = new Throwable[1];
        Thread intruder = Thread.ofPlatform().daemon().name("intruder").start(() -> {
            try {
                call.run();
            } catch (InvocationTargetException e) {
                thrown[0] = e.getCause();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        assertTrue(intruder.join(AT_ONCE), "the syscall did not return at once on the wrong thread");
        return thrown[0];
    }

    @FunctionalInterface
    private interface Invocation {
        void run() throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syscalls")
    void syscall_fromAnotherThread_wrongThreadAtOnceNamingBothNothingChanged(String signature, Method syscall)
            throws Exception {
        Object[] args = argumentsFor(syscall);
        KernelView before = kernel.inspect();
        Throwable thrown = fromIntruder(() -> syscall.invoke(sys, args));
        WrongThreadException e = assertInstanceOf(WrongThreadException.class, thrown, signature);
        assertTrue(e.getMessage().contains("'intruder'"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + Thread.currentThread().getName() + "'"), e.getMessage());
        assertEquals(before, kernel.inspect(), signature + " from the wrong thread changed the kernel");
        assertEquals(Status.WOULD_BLOCK, sys.nbRecv(EP), "the owner's syscalls still work");
    }

    @Test
    void ipc_fromAnotherThread_theSameBufferWithoutException() throws Exception {
        IpcBuffer[] seen = new IpcBuffer[1];
        assertEquals(null, fromIntruder(() -> {
            seen[0] = sys.ipc();
            seen[0].setMr(0, 42);
        }));
        assertSame(sys.ipc(), seen[0]);
        assertEquals(42, sys.ipc().mr(0), "written by the other thread of the Space");
    }

    /**
     * The one-segment Call keeps two one-element arrays for the segments, so that it allocates none:
     * a wrong thread must be refused before it writes them, or its segments stay referenced and could
     * replace the owner's in a Call the owner is making at that moment.
     */
    @Test
    void oneSegmentCall_fromAnotherThread_leavesTheOwnersArraysEmpty() throws Exception {
        MemorySegment foreign = MemorySegment.ofArray(new byte[8]);
        Throwable thrown = fromIntruder(() -> {
            var _ = sys.call(EP, MessageInfo.of(1, 0), foreign, foreign);
        });
        assertInstanceOf(WrongThreadException.class, thrown);
        assertArrayEquals(new MemorySegment[1], field("oneSend"), "send array");
        assertArrayEquals(new MemorySegment[1], field("oneRecv"), "receive array");
    }

    @Test
    void blockingSyscall_fromAnotherThreadWhileTheOwnerRuns_ownerUnaffected() throws Exception {
        Throwable thrown = fromIntruder(() -> {
            var _ = sys.recv(EP);
        });
        assertInstanceOf(WrongThreadException.class, thrown);
        assertEquals(TaskState.RUNNING, kernel.inspect().task(me.id()).state(), "the owner was not made to block");
        assertEquals(List.of(), kernel.inspect().endpoint(endpoint.id()).queued());
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(Status.TIMEOUT, sys.recv(EP, 0), "the owner's own Recv polls as usual");
    }

    private MemorySegment[] field(String name) throws ReflectiveOperationException {
        Field f = TaskSyscalls.class.getDeclaredField(name);
        f.setAccessible(true);
        return (MemorySegment[]) f.get(sys);
    }
}
