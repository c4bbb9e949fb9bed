package io.capipc.props.model;

import io.capipc.api.ObjectSizes;
import io.capipc.api.ObjectType;
import io.capipc.api.Status;
import io.capipc.props.model.Control.Made;
import io.capipc.props.model.Control.Untyped;
import io.capipc.props.model.Model.Cap;
import io.capipc.props.model.Model.Ref;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * docs/semantics.md §13's untyped budgets: Retype of an Endpoint or an Untyped, charged as
 * {@link ObjectSizes#charge} says, its capability a child of the untyped capability it was made
 * through; an object Retype made gives its charge back when it is destroyed (its last capability
 * gone), so Revoke of an untyped restores the whole budget; deleting an untyped capability with
 * children revokes it first.
 *
 * <ul>
 *   <li>Retype's checks, in order (§7): the type and the parameter (INVALID_ARGUMENT), the untyped's
 *       slot and the destination's range (INVALID_ARGUMENT), an untyped capability in the slot
 *       (INVALID_CAPABILITY), WRITE (INSUFFICIENT_RIGHTS), the destination empty (SLOT_OCCUPIED),
 *       then the budget (NO_SPACE).
 *   <li>A made endpoint takes the next spare endpoint number of the shape; a made untyped the next
 *       untyped number. The generator makes no more endpoints than there are spare numbers, and no
 *       other type (a Notification, Space or Region is only ever generated with a parameter out of
 *       range); this model throws if asked to.
 * </ul>
 */
final class BudgetRules {
    private final Step step;
    private final List<Untyped> untypeds;
    private int madeEndpoints;
    private final Map<Integer, Integer> madeFrom;

    /** The boot untypeds some capability named when the step began: one named by none now was destroyed in it. */
    private final java.util.Set<Integer> namedBefore = new java.util.HashSet<>();

    BudgetRules(Step step, Model m) {
        Control c = m.control();
        for (Cap cap : m.caps().values()) {
            namedBefore.add(cap.object());
        }
        this.step = step;
        this.untypeds = new ArrayList<>(c.untypeds());
        this.madeEndpoints = c.madeEndpoints();
        this.madeFrom = new HashMap<>(c.madeFrom());
    }

    List<Untyped> untypeds() {
        return List.copyOf(untypeds);
    }

    int madeEndpoints() {
        return madeEndpoints;
    }

    Map<Integer, Integer> madeFrom() {
        return Map.copyOf(madeFrom);
    }

    /** True if {@code object} is an untyped. */
    boolean isUntyped(int object) {
        int k = step.shape.untypedOf(object);
        return k >= 0 && k < untypeds.size();
    }

    Status retype(int t, int slot, ObjectType type, long param, int dst) {
        long charge = ObjectSizes.charge(type, param);
        if (charge < 0 || !step.inRange(slot) || !step.inRange(dst)) {
            return Status.INVALID_ARGUMENT;
        }
        Ref from = new Ref(step.shape.space(t), slot);
        Cap c = step.caps.get(from);
        if (c == null || !isUntyped(c.object())) {
            return Status.INVALID_CAPABILITY;
        }
        if ((c.rights() & Model.WRITE) == 0) {
            return Status.INSUFFICIENT_RIGHTS;
        }
        Ref to = new Ref(step.shape.space(t), dst);
        if (step.caps.containsKey(to)) {
            return Status.SLOT_OCCUPIED;
        }
        int k = step.shape.untypedOf(c.object());
        Untyped u = untypeds.get(k);
        if (charge > u.budget() - u.used()) {
            return Status.NO_SPACE;
        }
        int object = switch (type) {
            case ENDPOINT -> {
                if (madeEndpoints >= step.shape.spareEndpoints()) {
                    throw new IllegalStateException("no spare endpoint number left for a Retype");
                }
                yield step.shape.bootEndpoints() + madeEndpoints++;
            }
            case UNTYPED -> {
                untypeds.add(new Untyped(param, 0, List.of(), true));
                yield step.shape.untypedObject(untypeds.size() - 1);
            }
            default -> throw new IllegalStateException("the model does not make a " + type);
        };
        List<Made> made = new ArrayList<>(u.made());
        made.add(new Made(object, charge));
        untypeds.set(k, new Untyped(u.budget(), u.used() + charge, List.copyOf(made), u.alive()));
        madeFrom.put(object, k);
        step.caps.put(to, new Cap(object, Model.READ | Model.WRITE | Model.GRANT, 0, from));
        step.placeChild(to);
        return Status.OK;
    }

    /** After every step: each object made here that no capability names any more is destroyed, and gives its charge back. */
    void sweep() {
        for (Integer object : List.copyOf(madeFrom.keySet())) {
            boolean named = step.caps.values().stream().anyMatch(c -> c.object() == object);
            if (named) {
                continue;
            }
            int k = madeFrom.remove(object);
            Untyped u = untypeds.get(k);
            List<Made> made = new ArrayList<>(u.made());
            long back = 0;
            for (int i = 0; i < made.size(); i++) {
                if (made.get(i).object() == object) {
                    back = made.remove(i).charge();
                    break;
                }
            }
            untypeds.set(k, new Untyped(u.budget(), u.used() - back, List.copyOf(made), u.alive()));
            int mine = step.shape.untypedOf(object);
            if (isUntyped(object) && mine >= 0) {
                Untyped gone = untypeds.get(mine);
                untypeds.set(mine, new Untyped(gone.budget(), gone.used(), gone.made(), false));
            }
        }
        // A boot untyped dies with its last capability too (it gives nothing back: nobody made it).
        for (int k = 0; k < step.shape.untypeds().size(); k++) {
            int object = step.shape.untypedObject(k);
            Untyped u = untypeds.get(k);
            if (u.alive() && namedBefore.contains(object) && step.caps.values().stream().noneMatch(c -> c.object() == object)) {
                untypeds.set(k, new Untyped(u.budget(), u.used(), u.made(), false));
            }
        }
    }
}
