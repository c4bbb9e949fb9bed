package io.capipc.props;

import io.capipc.api.Reason;
import io.capipc.api.Status;
import io.capipc.props.harness.Checks;
import io.capipc.props.harness.Coverage;
import io.capipc.props.harness.Generator;
import io.capipc.props.harness.Property;
import io.capipc.props.harness.Situations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kernel refines the reference model: after every step of every generated run, the same statuses
 * and the same abstract state (tasks, queues, capabilities, registers, memory). So every refusal is
 * checked to return the model's status and to change nothing the model does not: the runs must
 * reach every refusal of every syscall (each reason of docs/semantics.md §7 a syscall can meet, as
 * the kernel reports it in the IPC buffer) and every other way each syscall ends.
 */
class RefinementProperty {
    @Test
    void kernel_refinesReferenceModel() {
        Coverage coverage = Coverage.of("RefinementProperty");
        REFUSALS.forEach((syscall, reasons) -> reasons.forEach(r -> coverage.require(syscall + ": " + r, 1)));
        ENDINGS.forEach((syscall, statuses) -> statuses.forEach(st -> coverage.require(syscall + " -> " + st, 1)));
        Property.check("RefinementProperty", Generator.Config.of(60),
                coverage.counting(Checks.refinement(), Coverage.all(Situations.refusals(), Situations.endings())));
        coverage.check();
    }

    private static final List<Reason> INFO = List.of(Reason.LABEL_NEGATIVE, Reason.LENGTH_OVER_64, Reason.CAPS_OVER_4,
            Reason.SYSTEM_FLAG, Reason.KIND_OR_RESERVED_BITS);
    private static final List<Reason> FORWARD_INFO = List.of(Reason.FORWARD_WITH_CAPS, Reason.LABEL_NEGATIVE,
            Reason.LENGTH_OVER_64, Reason.SYSTEM_FLAG, Reason.KIND_OR_RESERVED_BITS);
    private static final List<Reason> ENDPOINT = List.of(Reason.SLOT_OUT_OF_RANGE, Reason.EMPTY_SLOT, Reason.NOT_AN_ENDPOINT);
    private static final List<Reason> NOTIFICATION = List.of(Reason.SLOT_OUT_OF_RANGE, Reason.EMPTY_SLOT, Reason.NOT_A_NOTIFICATION);
    private static final List<Reason> TRANSFER = List.of(Reason.TRANSFER_SLOT_OUT_OF_RANGE, Reason.TRANSFER_SLOT_UNUSABLE);
    private static final List<Reason> DERIVE = List.of(Reason.SLOT_OUT_OF_RANGE, Reason.DESTINATION_OUT_OF_RANGE, Reason.EMPTY_SLOT,
            Reason.REPLY_CAPABILITY, Reason.DESTINATION_OCCUPIED);
    private static final List<Reason> CONTEXT = List.of(Reason.NO_CONTEXT, Reason.CALLER_GONE);
    private static final List<Reason> HANDLE = List.of(Reason.STALE_HANDLE, Reason.CALLER_GONE);
    private static final List<Reason> OFFSETS = List.of(Reason.OFFSET_NEGATIVE, Reason.OFFSET_PAST_END);

    /**
     * Every refusal each generated syscall can meet, in docs/semantics.md §7's order. Left out, since
     * the generated worlds cannot make them: segments whose sizes do not sum to a long (they need
     * {@code reinterpret}, a restricted method) and an arena closed by another thread during a copy
     * (BuffersTest and HostileIpcBufferTest in kernel-model make them), and GENERATIONS_EXHAUSTED
     * (2^52 Suspends; SuspendTest reaches it through a Space of 2^21 slots).
     */
    static final Map<String, List<Reason>> REFUSALS = new LinkedHashMap<>();

    /** Every other way each syscall ends: at once, or, for a blocking one, when it completes. */
    static final Map<String, List<Status>> ENDINGS = new LinkedHashMap<>();

    static {
        REFUSALS.put("Send", join(List.of(Reason.TIMEOUT_NEGATIVE), INFO, List.of(Reason.TRANSFER_SLOT_OUT_OF_RANGE), ENDPOINT,
                List.of(Reason.TRANSFER_SLOT_UNUSABLE, Reason.NEEDS_WRITE, Reason.NEEDS_GRANT)));
        REFUSALS.put("NBSend", join(INFO, List.of(Reason.TRANSFER_SLOT_OUT_OF_RANGE), ENDPOINT,
                List.of(Reason.TRANSFER_SLOT_UNUSABLE, Reason.NEEDS_WRITE, Reason.NEEDS_GRANT, Reason.NOTHING_WAITING)));
        REFUSALS.put("Call", join(List.of(Reason.TIMEOUT_NEGATIVE), INFO, List.of(Reason.BUFFER_NULL, Reason.SEGMENTS_OVER_8,
                Reason.SEGMENT_CLOSED, Reason.SEGMENT_CONFINED, Reason.RECEIVE_SEGMENT_READ_ONLY, Reason.TRANSFER_SLOT_OUT_OF_RANGE),
                ENDPOINT, List.of(Reason.TRANSFER_SLOT_UNUSABLE, Reason.NEEDS_WRITE, Reason.NEEDS_GRANT)));
        REFUSALS.put("Recv", join(List.of(Reason.TIMEOUT_NEGATIVE), ENDPOINT, List.of(Reason.NEEDS_READ)));
        REFUSALS.put("NBRecv", join(ENDPOINT, List.of(Reason.NEEDS_READ, Reason.NOTHING_WAITING)));
        REFUSALS.put("Reply", join(INFO, TRANSFER, List.of(Reason.NEEDS_GRANT_TO_REPLY)));
        REFUSALS.put("ReplyWait", join(List.of(Reason.TIMEOUT_NEGATIVE), INFO, List.of(Reason.TRANSFER_SLOT_OUT_OF_RANGE), ENDPOINT,
                List.of(Reason.TRANSFER_SLOT_UNUSABLE, Reason.NEEDS_READ, Reason.NEEDS_GRANT_TO_REPLY)));
        REFUSALS.put("Forward", join(FORWARD_INFO, ENDPOINT, List.of(Reason.NEEDS_WRITE), CONTEXT));
        REFUSALS.put("Read", join(CONTEXT, OFFSETS));
        REFUSALS.put("Write", join(CONTEXT, OFFSETS));
        REFUSALS.put("CallerInfo", CONTEXT);
        REFUSALS.put("Suspend", join(CONTEXT, List.of(Reason.NO_EMPTY_SLOT, Reason.REPLY_POOL_EXHAUSTED)));
        REFUSALS.put("Resume", List.of(Reason.STALE_HANDLE, Reason.ALREADY_HOLDS_CONTEXT));
        REFUSALS.put("Reply(h)", join(INFO, List.of(Reason.TRANSFER_SLOT_OUT_OF_RANGE, Reason.STALE_HANDLE, Reason.TRANSFER_SLOT_UNUSABLE,
                Reason.NEEDS_GRANT_TO_REPLY)));
        REFUSALS.put("Forward(h)", join(FORWARD_INFO, List.of(Reason.SLOT_OUT_OF_RANGE, Reason.STALE_HANDLE, Reason.EMPTY_SLOT,
                Reason.NOT_AN_ENDPOINT, Reason.NEEDS_WRITE, Reason.CALLER_GONE)));
        REFUSALS.put("Read(h)", join(HANDLE, OFFSETS));
        REFUSALS.put("Write(h)", join(HANDLE, OFFSETS));
        REFUSALS.put("CallerInfo(h)", HANDLE);
        REFUSALS.put("SystemMessages", join(List.of(Reason.MASK_UNKNOWN_BITS), ENDPOINT, List.of(Reason.NEEDS_READ)));
        REFUSALS.put("Signal", join(NOTIFICATION, List.of(Reason.NEEDS_WRITE)));
        REFUSALS.put("Wait", join(List.of(Reason.TIMEOUT_NEGATIVE), NOTIFICATION, List.of(Reason.NEEDS_READ, Reason.BOUND_TO_ANOTHER_TASK)));
        REFUSALS.put("Poll", join(NOTIFICATION, List.of(Reason.NEEDS_READ, Reason.BOUND_TO_ANOTHER_TASK, Reason.NOTHING_WAITING)));
        REFUSALS.put("BindNotification", join(NOTIFICATION, List.of(Reason.NEEDS_READ, Reason.ALREADY_BOUND,
                Reason.NOTIFICATION_HAS_WAITERS)));
        REFUSALS.put("UnbindNotification", List.of(Reason.NOT_BOUND));
        REFUSALS.put("Copy", join(List.of(Reason.SLOT_OUT_OF_RANGE, Reason.DESTINATION_OUT_OF_RANGE, Reason.RIGHTS_UNKNOWN_BITS),
                DERIVE.subList(2, DERIVE.size())));
        REFUSALS.put("Mint", join(REFUSALS.get("Copy"), List.of(Reason.BADGE_ALREADY_SET, Reason.BADGES_EXHAUSTED)));
        REFUSALS.put("Move", DERIVE);
        REFUSALS.put("Mutate", join(REFUSALS.get("Mint"), List.of(Reason.MUTATE_WITH_CHILDREN)));
        REFUSALS.put("Delete", List.of(Reason.SLOT_OUT_OF_RANGE));
        REFUSALS.put("Revoke", List.of(Reason.SLOT_OUT_OF_RANGE));
        REFUSALS.put("CancelBadgedSends", join(ENDPOINT, List.of(Reason.NEEDS_ALL_RIGHTS, Reason.BADGE_REQUIRED)));
        List<Reason> task = List.of(Reason.SLOT_OUT_OF_RANGE, Reason.EMPTY_SLOT, Reason.NOT_A_TASK);
        REFUSALS.put("Kill", join(task, List.of(Reason.NEEDS_WRITE)));
        REFUSALS.put("Restart", join(task, List.of(Reason.NEEDS_WRITE, Reason.RESTART_SELF)));
        REFUSALS.put("TaskInfo", join(task, List.of(Reason.NEEDS_READ)));
        REFUSALS.put("Retype", List.of(Reason.TYPE_NOT_RETYPABLE, Reason.PARAM_OUT_OF_RANGE, Reason.SLOT_OUT_OF_RANGE,
                Reason.DESTINATION_OUT_OF_RANGE, Reason.EMPTY_SLOT, Reason.NOT_AN_UNTYPED, Reason.NEEDS_WRITE, Reason.DESTINATION_OCCUPIED,
                Reason.BUDGET_EXHAUSTED));

        List<Status> blocking = List.of(Status.OK, Status.TIMEOUT, Status.INTERRUPTED, Status.REVOKED);
        ENDINGS.put("Send", blocking);
        ENDINGS.put("Call", List.of(Status.OK, Status.NO_REPLY, Status.PEER_DIED, Status.REVOKED, Status.TIMEOUT, Status.INTERRUPTED));
        ENDINGS.put("Recv", blocking);
        ENDINGS.put("ReplyWait", blocking);
        ENDINGS.put("Wait", blocking);
        for (String s : List.of("NBSend", "NBRecv", "Reply", "Forward", "Read", "Write", "CallerInfo", "Suspend", "Resume", "Reply(h)",
                "Forward(h)", "Read(h)", "Write(h)", "CallerInfo(h)", "SystemMessages", "Signal", "Poll", "BindNotification",
                "UnbindNotification", "Copy", "Mint", "Move", "Mutate", "Delete", "Revoke", "CancelBadgedSends", "Exit", "Fault",
                "Kill", "Restart", "TaskInfo", "Retype")) {
            ENDINGS.put(s, List.of(Status.OK));
        }
    }

    @SafeVarargs
    private static <T> List<T> join(List<T>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }
}
