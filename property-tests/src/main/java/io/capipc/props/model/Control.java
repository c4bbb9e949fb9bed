package io.capipc.props.model;

import io.capipc.api.TaskInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Task control's and untyped budgets' state in the model (docs/semantics.md §13).
 *
 * @param restarts per task, how many times Restart started it again
 * @param ended per task, how its last run ended ({@link TaskInfo#ALIVE}, EXITED, FAULTED, KILLED); the
 *              faults the generator injects have no cause, so their kind and hash are always 0
 * @param untypeds every untyped by its k ({@link Shape#untypedObject}): boot ones, then made ones
 * @param madeEndpoints how many of the shape's spare endpoint numbers Retype has used
 * @param madeFrom each live object Retype made, by object number: the k of the untyped it was made from
 */
public record Control(List<Integer> restarts, List<Integer> ended, List<Untyped> untypeds, int madeEndpoints,
                      Map<Integer, Integer> madeFrom) {
    /** An object made from an untyped, and what it was charged. */
    public record Made(int object, long charge) {}

    /** An untyped: its budget, the bytes charged to the live objects made from it (oldest first), and whether it lives. */
    public record Untyped(long budget, long used, List<Made> made, boolean alive) {}

    static Control boot(Shape shape) {
        List<Untyped> untypeds = new ArrayList<>();
        for (long b : shape.untypeds()) {
            untypeds.add(new Untyped(b, 0, List.of(), true));
        }
        return new Control(Collections.nCopies(shape.tasks(), 0), Collections.nCopies(shape.tasks(), TaskInfo.ALIVE),
                List.copyOf(untypeds), 0, Map.of());
    }
}
