package io.capipc.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.object.Task;
import io.capipc.kernel.syscall.Dispatch;
import io.capipc.kernel.object.CallerBuffers;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import io.capipc.kernel.DeterministicDriver;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel's KEY ASSUMPTION (only a RUNNING task makes a syscall), checked by calling every
 * syscall method of {@link Dispatch} directly, bypassing the driver's own check, for a task that is
 * INACTIVE, BLOCKED_ON_RECEIVE or DEAD: each must raise AssertionError and change nothing.
 */
class KernelGuardTest {
    private static final int EP = 0;
    private static final int NTFN = 1;
    private static final int FREE = 2;

    private final Kernel kernel = new Kernel();
    private final DeterministicDriver driver = new DeterministicDriver(kernel);
    private static final long FOREVER = io.capipc.api.Syscalls.FOREVER;
    private final ObjectHandle endpoint = kernel.createEndpoint();
    private final ObjectHandle notification = kernel.createNotification();

    /** A task whose slot EP holds the endpoint with all rights and slot NTFN the notification. */
    private TaskHandle task(String name) {
        SpaceHandle space = kernel.createSpace(name, 4);
        kernel.install(space, EP, endpoint, Rights.ALL, 0);
        kernel.install(space, NTFN, notification, Rights.ALL, 0b1);
        return kernel.createTask(space, name);
    }

    private TaskHandle inState(TaskState state) {
        TaskHandle t = task("subject");
        switch (state) {
            case INACTIVE -> { }
            case BLOCKED_ON_RECEIVE -> {
                driver.start(t);
                assertEquals(Outcome.BLOCKED, driver.recv(t, EP));
            }
            case DEAD -> {
                driver.start(t);
                assertEquals(Outcome.OK, driver.exit(t));
            }
            default -> throw new IllegalArgumentException(state.toString());
        }
        assertEquals(state, driver.state(t));
        return t;
    }

    static List<Arguments> syscallsAndStates() {
        List<BiConsumer<Dispatch, Task>> ops = List.of(
                (k, t) -> k.send(t, EP, MessageInfo.of(1, 0), FOREVER),
                (k, t) -> k.nbSend(t, EP, MessageInfo.of(1, 0)),
                (k, t) -> k.call(t, EP, MessageInfo.of(1, 0), CallerBuffers.NONE, CallerBuffers.NONE, FOREVER),
                (k, t) -> k.recv(t, EP, FOREVER),
                (k, t) -> k.nbRecv(t, EP),
                (k, t) -> k.reply(t, MessageInfo.of(0, 0)),
                (k, t) -> k.replyWait(t, EP, MessageInfo.of(0, 0), FOREVER),
                (k, t) -> k.forward(t, EP, MessageInfo.of(0, 0)),
                (k, t) -> k.read(t, 0, MemorySegment.ofArray(new byte[4])),
                (k, t) -> k.write(t, 0, MemorySegment.ofArray(new byte[4])),
                (k, t) -> k.callerInfo(t),
                (k, t) -> k.suspend(t),
                (k, t) -> k.resume(t, 1),
                (k, t) -> k.reply(t, 1, MessageInfo.of(0, 0)),
                (k, t) -> k.forward(t, 1, EP, MessageInfo.of(0, 0)),
                (k, t) -> k.read(t, 1, 0, MemorySegment.ofArray(new byte[4])),
                (k, t) -> k.write(t, 1, 0, MemorySegment.ofArray(new byte[4])),
                (k, t) -> k.callerInfo(t, 1),
                (k, t) -> k.systemMessages(t, EP, 0),
                (k, t) -> k.signal(t, NTFN),
                (k, t) -> k.waitNotification(t, NTFN, FOREVER),
                (k, t) -> k.poll(t, NTFN),
                (k, t) -> k.bindNotification(t, NTFN),
                (k, t) -> k.unbindNotification(t),
                (k, t) -> k.copy(t, EP, FREE, Rights.READ),
                (k, t) -> k.mint(t, EP, FREE, Rights.READ, 9),
                (k, t) -> k.move(t, EP, FREE),
                (k, t) -> k.mutate(t, EP, FREE, Rights.READ, 0),
                (k, t) -> k.delete(t, EP),
                (k, t) -> k.revoke(t, EP),
                (k, t) -> k.cancelBadgedSends(t, EP),
                (k, t) -> k.bind(t, EP, EP, 1, FREE),
                (k, t) -> k.asyncSend(t, EP, MessageInfo.of(1, 0)),
                (k, t) -> k.asyncCall(t, EP, MessageInfo.of(1, 0)),
                (k, t) -> k.portInfo(t, EP),
                (k, t) -> k.map(t, EP),
                (k, t) -> k.unmap(t, EP),
                (k, t) -> k.carve(t, EP, 0, 1, Rights.READ, FREE),
                (k, t) -> k.retype(t, EP, io.capipc.api.ObjectType.ENDPOINT, 0, FREE),
                (k, t) -> k.kill(t, EP),
                (k, t) -> k.restart(t, EP),
                (k, t) -> k.taskInfo(t, EP),
                (k, t) -> k.exit(t),
                (k, t) -> k.fault(t),
                (k, t) -> k.fault(t, io.capipc.api.TaskInfo.ERROR, 7));
        List<String> names = List.of("send", "nbSend", "call", "recv", "nbRecv", "reply", "replyWait", "forward",
                "read", "write", "callerInfo", "suspend", "resume", "reply by handle", "forward by handle",
                "read by handle", "write by handle", "callerInfo by handle", "systemMessages", "signal", "waitNotification", "poll", "bindNotification",
                "unbindNotification", "copy", "mint", "move", "mutate", "delete", "revoke", "cancelBadgedSends", "bind", "asyncSend", "asyncCall", "portInfo", "map", "unmap", "carve",
                "retype", "kill", "restart", "taskInfo", "exit", "fault", "fault with a cause");
        List<Arguments> out = new ArrayList<>();
        for (TaskState state : List.of(TaskState.INACTIVE, TaskState.BLOCKED_ON_RECEIVE, TaskState.DEAD)) {
            for (int i = 0; i < ops.size(); i++) {
                out.add(Arguments.of(names.get(i), state, ops.get(i)));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} while {1}")
    @MethodSource("syscallsAndStates")
    void syscall_taskNotRunning_assertionErrorAndNothingChanges(String name, TaskState state, BiConsumer<Dispatch, Task> op) {
        TaskHandle t = inState(state);
        KernelView before = kernel.inspect();
        AssertionError e = assertThrows(AssertionError.class, () -> op.accept(kernel.dispatch(), kernel.task(t)), name);
        assertTrue(e.getMessage().contains("made a syscall while " + state), e.getMessage());
        assertEquals(before, kernel.inspect(), name + " changed the kernel");
        assertEquals(state, driver.state(t));
    }
}
