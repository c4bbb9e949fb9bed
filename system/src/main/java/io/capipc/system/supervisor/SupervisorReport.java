package io.capipc.system.supervisor;

import io.capipc.api.TaskInfo;
import java.util.List;

/**
 * What a supervisor knows, as an immutable snapshot: the policy, whether it gave up, and per child
 * its restarts and last fault. The CLI prints it; {@link Supervisor#report()} gives the newest.
 *
 * @param policy its restart policy
 * @param intensity its restart intensity
 * @param gaveUp true once the intensity was exceeded and the children were stopped
 * @param children one entry per child, in order
 */
public record SupervisorReport(RestartPolicy policy, Intensity intensity, boolean gaveUp, List<Child> children) {
    /** Copies the list. */
    public SupervisorReport {
        children = List.copyOf(children);
    }

    /**
     * One child.
     *
     * @param name the child's name
     * @param restarts how many times it was restarted (the kernel's count, from TaskInfo)
     * @param faults how many faults the supervisor heard of
     * @param faultKind the last fault's kind ({@link TaskInfo#RUNTIME_EXCEPTION}...), 0 if none
     * @param faultHash the hash of the last fault's exception class name, 0 if none
     * @param faultName the last fault's class name if the supervisor was told it, else its hash in hex, or "-"
     */
    public record Child(String name, int restarts, int faults, int faultKind, int faultHash, String faultName) {}

    /** Total restarts of every child. */
    public int totalRestarts() {
        int n = 0;
        for (Child c : children) {
            n += c.restarts();
        }
        return n;
    }
}
