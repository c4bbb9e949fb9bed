package io.capipc.props.model;

import io.capipc.api.TaskInfo;
import java.util.Collections;
import java.util.List;

/**
 * Task control's state in the model (docs/semantics.md §13): per task, how many times Restart started
 * it again, and how its last run ended ({@link TaskInfo#ALIVE}, EXITED, FAULTED, KILLED). The faults
 * the generator injects have no cause, so their kind and hash are always 0 and are not kept.
 */
public record Control(List<Integer> restarts, List<Integer> ended) {
    static Control boot(int tasks) {
        return new Control(Collections.nCopies(tasks, 0), Collections.nCopies(tasks, TaskInfo.ALIVE));
    }
}
