package io.capipc.isolation;

import static io.capipc.isolation.Boot.ATTACKER_BADGE;
import static io.capipc.isolation.Boot.EP;
import static io.capipc.isolation.Boot.QUESTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.capipc.api.IpcBuffer;
import io.capipc.api.MessageInfo;
import io.capipc.api.Status;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.ThreadedRuntime;
import io.capipc.kernel.Tracer;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.inspect.Outcome;
import io.capipc.kernel.inspect.SyscallName;
import io.capipc.kernel.inspect.WaitEdge;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reaching another task through the objects tracing and inspection hand out. A tracer is shown a
 * task handle and a read-only view of the task's IPC buffer; here the worst case is assumed, a tracer
 * that publishes both where the attacker's body can take them. The view refuses every write and does
 * not give up the live buffer behind it; the handle is a name, and every API that takes one refuses a
 * task that is already running, or of another kernel; views are immutable or fresh copies. The other
 * task is unharmed.
 */
class TracerTest {
    /** The last handle and IPC buffer view the tracer was shown, by task name. */
    private final Map<String, TaskHandle> handles = new ConcurrentHashMap<>();
    private final Map<String, IpcBuffer> views = new ConcurrentHashMap<>();
    private ThreadedSystem threaded;

    @AfterEach
    void stop() throws InterruptedException {
        if (threaded != null) {
            threaded.close();
        }
    }

    /** A tracer that publishes everything it is shown. */
    private Tracer leakyTracer() {
        return new Tracer() {
            @Override
            public void syscall(TaskHandle task, IpcBuffer ipc, SyscallName op, long a, long b, Outcome outcome) {
                handles.put(task.name(), task);
                views.put(task.name(), ipc);
            }

            @Override
            public void completed(TaskHandle task, IpcBuffer ipc, Status status) {
                handles.put(task.name(), task);
                views.put(task.name(), ipc);
            }
        };
    }

    /** The traced view of the server's buffer: no write lands, and the live buffer stays out of reach. */
    private static String assertReadOnly(IpcBuffer view) throws ReflectiveOperationException {
        long mr0 = view.mr(0);
        assertThrows(UnsupportedOperationException.class, () -> view.setMr(0, mr0 + 1));
        assertThrows(UnsupportedOperationException.class, () -> view.setCap(0, EP));
        assertThrows(UnsupportedOperationException.class, () -> view.setReceiveSlot(0, 1));
        assertEquals(mr0, view.mr(0));
        assertFalse(Class.forName("io.capipc.kernel.object.Registers").isInstance(view), "the tracer got the live buffer");
        Field live = view.getClass().getDeclaredField("registers");
        assertThrows(InaccessibleObjectException.class, () -> live.setAccessible(true));
        assertThrows(IllegalAccessException.class, () -> live.get(view));
        Reflect.assertCannotCall(view);
        return view.getClass().getName();
    }

    @Test
    void tracedBuffer_ofTheServer_refusesWritesAndHidesTheLiveBuffer() {
        threaded = new ThreadedSystem();
        threaded.boot.kernel.tracer(leakyTracer());
        threaded.assertUnharmed();
        String viewClass = threaded.attack(sys -> assertReadOnly(views.get("server")));
        assertEquals("io.capipc.kernel.object.ReadOnlyIpcBuffer", viewClass);
        threaded.assertUnharmed();
    }

    @Test
    void tracedBuffer_onTheDriver_refusesWritesAndHidesTheLiveBuffer() throws Exception {
        DrivenSystem driven = new DrivenSystem();
        driven.boot.kernel.tracer(leakyTracer());
        driven.assertUnharmed();
        assertEquals("io.capipc.kernel.object.ReadOnlyIpcBuffer", assertReadOnly(views.get("server")));
        driven.assertUnharmed();
    }

    @Test
    void tracedHandle_ofTheServer_cannotAdoptOrRestartIt_andTheAttackerSpeaksOnlyAsItself() {
        threaded = new ThreadedSystem();
        threaded.boot.kernel.tracer(leakyTracer());
        threaded.assertUnharmed();
        ThreadedRuntime runtime = threaded.runtime;
        long answer = threaded.attack(sys -> {
            TaskHandle server = handles.get("server");
            assertNotNull(server, "the tracer saw no server");
            assertAlreadyStarted(server, assertThrows(IllegalArgumentException.class, () -> runtime.adopt(server)));
            assertAlreadyStarted(server, assertThrows(IllegalArgumentException.class, () -> runtime.start(server, s -> { })));
            TaskHandle forged = new TaskHandle(server.kernel(), server.id(), server.name(), server.space());
            assertAlreadyStarted(server, assertThrows(IllegalArgumentException.class, () -> runtime.adopt(forged)));
            sys.ipc().setMr(0, QUESTION);
            assertEquals(Status.OK, sys.call(EP, MessageInfo.of(1, 1)));
            return sys.ipc().mr(0);
        });
        assertEquals(QUESTION + ATTACKER_BADGE, answer, "the attacker's Call carried another badge than its own");
        threaded.assertUnharmed();
    }

    private static void assertAlreadyStarted(TaskHandle task, IllegalArgumentException e) {
        assertEquals(task + " was already started", e.getMessage());
    }

    @Test
    void taskHandle_isAName_withNothingButItsComponents() {
        Set<String> methods = new TreeSet<>();
        for (Method m : TaskHandle.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())) {
                methods.add(m.getName());
            }
        }
        assertEquals(Set.of("kernel", "id", "name", "space", "equals", "hashCode", "toString"), methods);
    }

    @Test
    void handle_ofOneKernel_isRefusedByAnother_evenWithTheSameIds() {
        DrivenSystem mine = new DrivenSystem();
        DrivenSystem other = new DrivenSystem();
        assertEquals(mine.boot.server.id(), other.boot.server.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.driver.ipc(mine.boot.server));
        assertEquals(mine.boot.server + " is not a task of this kernel", e.getMessage());
        other.assertUnharmed();
        mine.assertUnharmed();
    }

    @Test
    void kernelViews_capturedByABody_areImmutableOrDetached() {
        threaded = new ThreadedSystem();
        Boot boot = threaded.boot;
        threaded.attack(sys -> {
            KernelView view = boot.kernel.inspect();
            assertThrows(UnsupportedOperationException.class, () -> view.tasks().clear());
            assertThrows(UnsupportedOperationException.class, () -> view.space(boot.serverSpace.id()).slots().clear());
            assertThrows(UnsupportedOperationException.class, () -> view.endpoint(boot.endpoint.id()).queued().add(0));
            // The blocked-on graph is a fresh list each time: changing one changes nothing else.
            List<WaitEdge> graph = boot.kernel.blockedOnGraph();
            List<WaitEdge> asTaken = List.copyOf(graph);
            graph.add(new WaitEdge(-1, -1, -1));
            assertEquals(asTaken, boot.kernel.blockedOnGraph());
            for (Field f : KernelView.TaskView.class.getDeclaredFields()) {
                assertEquals(Modifier.PRIVATE | Modifier.FINAL, f.getModifiers() & (Modifier.PRIVATE | Modifier.FINAL), f::toString);
            }
            return view;
        });
        threaded.assertUnharmed();
    }
}
