package io.capipc.kernel;

import static io.capipc.kernel.Fixture.EP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.capipc.kernel.inspect.Outcome;
import io.capipc.api.MessageInfo;
import io.capipc.api.Rights;
import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.api.TaskState;
import io.capipc.kernel.DeterministicDriver;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deterministic driver (docs/semantics.md §10) and the boot API (docs/semantics.md §1): only a RUNNING task
 * makes syscalls; misuse by the system builder is an IllegalArgumentException or
 * IllegalStateException, never a status, and changes nothing.
 */
class DriverTest {
    private final Fixture f = new Fixture();

    static Stream<Arguments> syscalls() {
        MemorySegment buf = MemorySegment.ofArray(new byte[4]);
        return Stream.of(
                op("send", (d, t) -> d.send(t, EP, MessageInfo.of(0, 0))),
                op("nbSend", (d, t) -> d.nbSend(t, EP, MessageInfo.of(0, 0))),
                op("call", (d, t) -> d.call(t, EP, MessageInfo.of(0, 0))),
                op("recv", (d, t) -> d.recv(t, EP)),
                op("nbRecv", (d, t) -> d.nbRecv(t, EP)),
                op("reply", (d, t) -> d.reply(t, MessageInfo.of(0, 0))),
                op("replyWait", (d, t) -> d.replyWait(t, EP, MessageInfo.of(0, 0))),
                op("read", (d, t) -> d.read(t, 0, buf)),
                op("write", (d, t) -> d.write(t, 0, buf)),
                op("callerInfo", (d, t) -> d.callerInfo(t)),
                op("copy", (d, t) -> d.copy(t, EP, 1, Rights.READ)),
                op("mint", (d, t) -> d.mint(t, EP, 1, Rights.READ, 1)),
                op("delete", (d, t) -> d.delete(t, EP)),
                op("exit", (d, t) -> d.exit(t)));
    }

    private static Arguments op(String name, BiFunction<DeterministicDriver, TaskHandle, Outcome> call) {
        return Arguments.of(name, call);
    }

    private void assertRefusedByDriver(TaskHandle t, BiFunction<DeterministicDriver, TaskHandle, Outcome> call) {
        KernelView before = f.view();
        TaskState state = f.state(t);
        assertThrows(IllegalStateException.class, () -> call.apply(f.driver, t));
        assertEquals(before, f.view());
        assertEquals(state, f.state(t));
        f.assertConsistent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syscalls")
    void syscall_taskBlockedOnReceive_throwsIllegalState(String name, BiFunction<DeterministicDriver, TaskHandle, Outcome> call) {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertRefusedByDriver(f.server, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syscalls")
    void syscall_taskBlockedOnSend_throwsIllegalState(String name, BiFunction<DeterministicDriver, TaskHandle, Outcome> call) {
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(0, 0)));
        assertRefusedByDriver(f.clientA, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syscalls")
    void syscall_taskBlockedOnReply_throwsIllegalState(String name, BiFunction<DeterministicDriver, TaskHandle, Outcome> call) {
        assertEquals(Outcome.BLOCKED, f.driver.recv(f.server, EP));
        assertEquals(Outcome.BLOCKED, f.driver.call(f.clientA, EP, MessageInfo.of(0, 0)));
        assertRefusedByDriver(f.clientA, call);
    }

    @Test
    void syscall_inactiveTask_throwsIllegalState() {
        TaskHandle idle = f.kernel.createTask(f.serverSpace, "idle");
        assertEquals(TaskState.INACTIVE, f.state(idle));
        assertRefusedByDriver(idle, (d, t) -> d.recv(t, EP));
    }

    @Test
    void syscall_deadTask_throwsIllegalState() {
        assertEquals(Outcome.OK, f.driver.exit(f.clientC));
        assertEquals(TaskState.DEAD, f.state(f.clientC));
        assertRefusedByDriver(f.clientC, (d, t) -> d.send(t, EP, MessageInfo.of(0, 0)));
    }

    /**
     * Every syscall of the driver, found by reflection (each public method that takes the acting task
     * first and returns an Outcome), so one added later is covered too.
     */
    static Stream<Arguments> everyDriverSyscall() {
        return Arrays.stream(DeterministicDriver.class.getMethods())
                .filter(m -> m.getReturnType() == Outcome.class && m.getParameterCount() > 0
                        && m.getParameterTypes()[0] == TaskHandle.class)
                .sorted(Comparator.comparing(Method::toGenericString))
                .map(m -> Arguments.of(m.getName() + Arrays.toString(m.getParameterTypes()), m));
    }

    /** The task, then arguments the syscall would act on if it ran. */
    private static Object[] argumentsFor(Method m, TaskHandle t) {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        args[0] = t;
        for (int i = 1; i < types.length; i++) {
            Class<?> type = types[i];
            args[i] = type == int.class ? EP
                    : type == long.class ? MessageInfo.of(1, 0)
                    : type == MemorySegment.class ? MemorySegment.ofArray(new byte[4])
                    : type == MemorySegment[].class ? new MemorySegment[] {MemorySegment.ofArray(new byte[4])}
                    : type == io.capipc.api.ObjectType.class ? io.capipc.api.ObjectType.ENDPOINT
                    : type == Throwable.class ? new IllegalStateException("a fault")
                    : fail("no argument for a " + type + " of " + m + "; teach argumentsFor");
        }
        return args;
    }

    /** The driver's misuse check, made through {@code syscall} for {@code t}, in state {@code state}. */
    private void assertEverySyscallRefused(Method syscall, TaskHandle t, TaskState state) throws Exception {
        assertEquals(state, f.state(t));
        KernelView before = f.view();
        InvocationTargetException e = assertThrows(InvocationTargetException.class,
                () -> syscall.invoke(f.driver, argumentsFor(syscall, t)));
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(t + " is " + state + "; only a RUNNING task can make a syscall", cause.getMessage());
        assertEquals(before, f.view(), "a refused driver call changes nothing");
        f.assertConsistent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDriverSyscall")
    void everySyscall_taskNeverStarted_illegalStateNamingItsState(String name, Method syscall) throws Exception {
        assertEverySyscallRefused(syscall, f.kernel.createTask(f.serverSpace, "idle"), TaskState.INACTIVE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDriverSyscall")
    void everySyscall_taskDead_illegalStateNamingItsState(String name, Method syscall) throws Exception {
        assertEquals(Outcome.OK, f.driver.exit(f.clientC));
        assertEverySyscallRefused(syscall, f.clientC, TaskState.DEAD);
    }

    @Test
    void start_runningTask_throwsIllegalArgument() {
        assertThrows(IllegalArgumentException.class, () -> f.driver.start(f.server));
        assertEquals(TaskState.RUNNING, f.state(f.server));
    }

    /** The builder's Revoke and Delete (no task makes them): the copies under a capability go, then the capability. */
    @Test
    void builderRevokeAndDelete_revokeTakesTheCopies_deleteTheCapability() {
        assertEquals(Outcome.OK, f.driver.copy(f.server, EP, 1, Rights.ALL));
        assertEquals(Outcome.OK, f.driver.copy(f.server, 1, 2, Rights.READ));
        f.driver.revoke(f.serverSpace, EP);
        assertEquals(List.of(EP), slotsOf(f.serverSpace));
        f.driver.delete(f.serverSpace, EP);
        assertEquals(List.of(), slotsOf(f.serverSpace));
    }

    private List<Integer> slotsOf(SpaceHandle s) {
        return f.kernel.inspect().space(s.id()).slots().stream().map(KernelView.SlotView::index).toList();
    }

    @Test
    void start_newTask_inactiveBecomesRunning() {
        TaskHandle t = f.kernel.createTask(f.serverSpace, "late");
        assertEquals(TaskState.INACTIVE, f.state(t));
        f.driver.start(t);
        assertEquals(TaskState.RUNNING, f.state(t));
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbRecv(t, EP));
    }

    @Test
    void install_occupiedSlot_throwsIllegalArgumentAndKeepsCapability() {
        KernelView before = f.view();
        assertThrows(IllegalArgumentException.class,
                () -> f.kernel.install(f.serverSpace, EP, f.endpoint, Rights.ALL, 0));
        assertEquals(before, f.view());
    }

    @Test
    void install_badArguments_throwIllegalArgument() {
        Kernel other = new Kernel();
        ObjectHandle foreign = other.createEndpoint();
        assertThrows(IllegalArgumentException.class, () -> f.kernel.install(f.serverSpace, -1, f.endpoint, Rights.READ, 0));
        assertThrows(IllegalArgumentException.class, () -> f.kernel.install(f.serverSpace, Fixture.SLOTS, f.endpoint, Rights.READ, 0));
        assertThrows(IllegalArgumentException.class, () -> f.kernel.install(f.serverSpace, 1, f.endpoint, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> f.kernel.install(f.serverSpace, 1, foreign, Rights.READ, 0));
        f.assertConsistent();
    }

    @Test
    void createSpaceAndTask_badArguments_throwIllegalArgument() {
        SpaceHandle foreign = new Kernel().createSpace("foreign", 2);
        assertThrows(IllegalArgumentException.class, () -> f.kernel.createSpace("none", 0));
        assertThrows(IllegalArgumentException.class, () -> f.kernel.createSpace(" ", 2));
        assertThrows(IllegalArgumentException.class, () -> f.kernel.createSpace(null, 2));
        assertThrows(IllegalArgumentException.class, () -> f.kernel.createTask(f.serverSpace, ""));
        assertThrows(IllegalArgumentException.class, () -> f.kernel.createTask(foreign, "stray"));
    }

    @Test
    void completedBlockedTask_canMakeSyscallsAgain() {
        assertEquals(Outcome.BLOCKED, f.driver.send(f.clientA, EP, MessageInfo.of(1, 0)));
        assertThrows(IllegalStateException.class, () -> f.driver.send(f.clientA, EP, MessageInfo.of(2, 0)));
        assertEquals(Outcome.OK, f.driver.recv(f.server, EP));
        assertEquals(1, f.ipc(f.server).label(), "the refused second Send was never queued");
        assertEquals(Outcome.WOULD_BLOCK, f.driver.nbSend(f.clientA, EP, MessageInfo.of(3, 0)));
    }
}
