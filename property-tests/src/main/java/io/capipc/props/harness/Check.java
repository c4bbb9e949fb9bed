package io.capipc.props.harness;

import io.capipc.api.Status;
import io.capipc.kernel.inspect.KernelView;
import io.capipc.props.model.Model;
import java.util.List;

/**
 * What a property checks after every step of a run. A check may keep state across the steps of one
 * run; {@link Property} makes a fresh one per run through a factory.
 */
@FunctionalInterface
public interface Check {
    /**
     * Everything one step produced.
     *
     * @param modelStatus the model's status for the action (null: blocked)
     * @param kernelStatus the kernel's (null: blocked)
     * @param resumed the blocked syscalls the kernel completed during the step
     */
    record StepRecord(int index, Action action, Model before, Model after, Status modelStatus, Status kernelStatus,
                      KernelView viewBefore, KernelView viewAfter, List<World.Resumed> resumed, World world) {}

    /** The violation this step shows, or null if none. */
    String check(StepRecord step);
}
