package io.capipc.props.budgets;

import io.capipc.api.Rights;
import io.capipc.kernel.DeterministicDriver;
import io.capipc.kernel.Kernel;
import io.capipc.kernel.ObjectHandle;
import io.capipc.kernel.SpaceHandle;
import io.capipc.kernel.TaskHandle;
import io.capipc.kernel.bugs.InjectedBugs;

/**
 * The kernel side of a budget run: one Space of {@link #SLOTS} slots shared by the owner task, which
 * makes every syscall but waiting, and {@link #WAITERS} waiter tasks. At boot, slot 0 and slot 1 hold
 * untypeds of {@link #BUDGETS} bytes, and the last slots hold Task capabilities to the waiters:
 * {@link #TASK_CAPS}[i] names waiter {@link #TASK_TARGETS}[i] with rights {@link #TASK_RIGHTS}[i].
 */
final class BudgetWorld {
    /** Room for more distinct badges on one endpoint than it has badge records at first (16). */
    static final int SLOTS = 24;
    static final int WAITERS = 2;
    static final long[] BUDGETS = {8192, 2048};
    static final int[] TASK_CAPS = {21, 22, 23};
    static final int[] TASK_TARGETS = {0, 1, 0};
    static final int[] TASK_RIGHTS = {Rights.ALL, Rights.ALL, Rights.READ | Rights.GRANT};

    final Kernel kernel;
    final DeterministicDriver d;
    final SpaceHandle space;
    final TaskHandle owner;
    final TaskHandle[] waiters = new TaskHandle[WAITERS];

    BudgetWorld(InjectedBugs bugs) {
        kernel = bugs == InjectedBugs.NONE ? new Kernel() : InjectedBugs.with(bugs, Kernel::new);
        d = new DeterministicDriver(kernel);
        space = kernel.createSpace("s", SLOTS);
        for (int u = 0; u < BUDGETS.length; u++) {
            kernel.install(space, u, kernel.createUntyped(BUDGETS[u]), Rights.ALL, 0);
        }
        owner = kernel.createTask(space, "owner");
        d.start(owner);
        for (int w = 0; w < WAITERS; w++) {
            waiters[w] = kernel.createTask(space, "w" + w);
            d.start(waiters[w]);
        }
        for (int i = 0; i < TASK_CAPS.length; i++) {
            ObjectHandle task = kernel.taskObject(waiters[TASK_TARGETS[i]]);
            kernel.install(space, TASK_CAPS[i], task, TASK_RIGHTS[i], 0);
        }
    }
}
