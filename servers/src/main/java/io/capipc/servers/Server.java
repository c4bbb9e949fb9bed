package io.capipc.servers;

import io.capipc.api.IpcBuffer;
import io.capipc.api.Kind;
import io.capipc.api.MessageInfo;
import io.capipc.api.Reason;
import io.capipc.api.Status;
import io.capipc.api.SystemMessage;
import io.capipc.api.Syscalls;
import org.jspecify.annotations.Nullable;

/**
 * A server loop over one endpoint: the ReplyWait fast path (docs/semantics.md §5.1), with the routing a
 * real server needs around a {@link Dispatcher}, and the rules that make it hard to get wrong.
 *
 * <p><b>Routing.</b> A Call or a Send goes to the dispatcher by its label; an unknown label is
 * answered {@link ProtocolError#UNKNOWN_OPERATION}. A notification (the server's bound one) goes to
 * the handler of each bit set in its word. A system message goes to its handler: CALLER_CANCELLED
 * (the token of a deferred call whose caller gave up; the library then frees the token),
 * BADGE_DISCONNECTED (the badge's session is closed first) and TASK_FAULTED.
 *
 * <p><b>Sessions.</b> With a {@link Builder#sessions session factory}, the first message with a badge
 * opens that badge's session ({@link Caller#session}); the BADGE_DISCONNECTED system message that says
 * the badge's last capability is gone closes it.
 *
 * <p><b>Deferred replies.</b> {@link Caller#defer} moves a call aside (Suspend) and gives a
 * single-use token; the loop goes on receiving, so one server thread can hold many callers, as a QNX
 * server holding rcvids does.
 *
 * <p><b>Safe by construction.</b> A reply carries exactly the registers the dispatcher wrote (error
 * answers carry none), so a previous caller's registers never leak. A handler that throws is answered
 * {@link ProtocolError#HANDLER_FAILED} and the loop goes on (or stops, per
 * {@link Builder#onHandlerException}). A reply the kernel refuses is logged, the caller is answered
 * {@link ProtocolError#REPLY_REFUSED} instead, and the loop goes on, so no caller is left waiting. A
 * capability parameter sets its receive slot itself, and what a handler left in a receive slot is
 * deleted after its call so the next one can arrive. On {@link #stop}, the callers still queued are
 * answered {@link ProtocolError#STOPPED} and every session is closed.
 *
 * <p>A server is one task's: {@link #serve} runs on that task's thread, once. Nothing is allocated
 * per message on the register-only path (sessions allocate when they open; logs when they log).
 */
public final class Server {
    /** What a handler that throws (other than an {@link IpcException}) does to the loop. */
    public enum ExceptionPolicy {
        /** Answer HANDLER_FAILED, log, and go on: one bad request never ends the server. The default. */
        ANSWER_AND_CONTINUE,
        /** Answer HANDLER_FAILED, log, and stop cleanly (queued callers answered STOPPED). */
        ANSWER_AND_STOP,
        /** Answer HANDLER_FAILED, stop cleanly, then rethrow from {@link #serve}: the task faults. */
        ANSWER_AND_RETHROW
    }

    /** What the loop logs. */
    public enum Event {
        /** A handler threw; detail: the operation number. */
        HANDLER_THREW,
        /** A handler threw an IpcException that is no answer of this interface; detail: the operation. */
        HANDLER_FAILED_CALL,
        /** The kernel refused the handler's reply; detail: the {@link Reason}'s ordinal. */
        REPLY_REFUSED,
        /** A one-way message could not be handled; detail: the operation number. */
        ONE_WAY_DROPPED,
        /** Notification bits nobody routes; detail: the bits. */
        UNROUTED_NOTIFICATION,
        /** A system message handler or a session closer threw; detail: the system message's label. */
        SYSTEM_HANDLER_THREW,
        /** The answer to an AsyncCall this server made arrived and no handler takes it; detail: its tag. */
        UNROUTED_ASYNC_ANSWER
    }

    /** Where the loop reports what went wrong. Called on the server's thread. */
    @FunctionalInterface
    public interface Log {
        void event(Event event, long detail, @Nullable Throwable cause);
    }

    /** Opens a badge's session on its first message. */
    @FunctionalInterface
    public interface SessionFactory {
        Object open(long badge);
    }

    /** Closes a session when its badge disconnects (or the server stops). */
    @FunctionalInterface
    public interface SessionCloser {
        void close(long badge, Object session);
    }

    /** Handles the bits of a notification word routed to it. */
    @FunctionalInterface
    public interface NotificationHandler {
        void notified(Server server, Syscalls sys, long bits);
    }

    /**
     * Handles a system message: {@code badge} is the badge concerned; {@code word} is MR0 (the token
     * for CALLER_CANCELLED, 0 for BADGE_DISCONNECTED; for TASK_FAULTED the task id and the fault's kind,
     * read with {@code TaskInfo.faultedTask(word)} and {@code TaskInfo.faultedKind(word)}).
     */
    @FunctionalInterface
    public interface SystemHandler {
        void handle(Server server, Syscalls sys, long badge, long word);
    }

    /**
     * Handles the answer to an AsyncCall the server made through a port whose reply endpoint is the
     * server's own: {@code tag} is the call's tag, and the answer is in {@code sys.ipc()} (a generated
     * client's {@code nameResult()} decodes it).
     */
    @FunctionalInterface
    public interface AsyncAnswerHandler {
        void answered(Server server, Syscalls sys, long tag);
    }

    /** Info word meaning "nothing to answer". */
    private static final long NONE = -1L;
    private static final long REPLY_REFUSED = Wire.errorReply(ProtocolError.REPLY_REFUSED);
    private static final long HANDLER_FAILED = Wire.errorReply(ProtocolError.HANDLER_FAILED);
    private static final long STOPPED = Wire.errorReply(ProtocolError.STOPPED);

    private final Builder config;
    private final Dispatcher dispatcher;
    private final Caller caller = new Caller(this);
    private final LongMap<Object> sessions = new LongMap<>();
    /** Capabilities the message being handled brought (read before the handler can overwrite the buffer). */
    private int received;
    private boolean served;
    private boolean stopping;
    private @Nullable RuntimeException rethrow;

    private Server(Builder b) {
        this.config = b;
        this.dispatcher = b.dispatcher;
    }

    /** A builder for a server of {@code dispatcher} on the endpoint in {@code endpointSlot} (READ). */
    public static Builder builder(int endpointSlot, Dispatcher dispatcher) {
        return new Builder(endpointSlot, dispatcher);
    }

    /** Asks the loop to stop once the current message is answered; for the server's own handlers. */
    public void stop() {
        stopping = true;
    }

    /** True once {@link #stop} was asked. */
    public boolean isStopping() {
        return stopping;
    }

    /** The {@code index}-th receive slot; -1 if there are fewer. */
    int receiveSlot(int index) {
        return index < config.receiveSlots.length ? config.receiveSlots[index] : -1;
    }

    /** Sessions open now. */
    public int openSessions() {
        return sessions.size();
    }

    /**
     * Serves until stopped: OK after a clean stop, or the status that made receiving impossible
     * (INTERRUPTED when the thread is interrupted, REVOKED when the endpoint goes, a refusal of the
     * set-up: SystemMessages, BindNotification, Recv). Rethrows a handler's exception under
     * {@link ExceptionPolicy#ANSWER_AND_RETHROW}, after answering and stopping cleanly.
     *
     * @throws IllegalStateException if this server already served
     */
    public Status serve(Syscalls sys) {
        if (served) {
            throw new IllegalStateException("a Server serves once, on one task; build another");
        }
        served = true;
        Status s = setUp(sys);
        if (s != Status.OK) {
            return s;
        }
        armReceiveSlots(sys.ipc());
        s = sys.recv(config.endpoint);
        while (s == Status.OK) {
            long reply = handle(sys);
            if (stopping) {
                finish(sys, reply);
                return Status.OK;
            }
            s = next(sys, reply);
        }
        return s;
    }

    private Status setUp(Syscalls sys) {
        int mask = SystemMessage.CALLER_CANCELLED.bit() | SystemMessage.TASK_FAULTED.bit()
                | SystemMessage.BADGE_DISCONNECTED.bit();
        Status s = sys.systemMessages(config.endpoint, mask);
        if (s == Status.OK && config.notification >= 0) {
            s = sys.bindNotification(config.notification);
        }
        return s;
    }

    /** Answers (if there is an answer) and waits for the next message. */
    private Status next(Syscalls sys, long reply) {
        IpcBuffer ipc = sys.ipc();
        int received = this.received;
        if (reply == NONE) {
            clearReceived(sys, received);
            armReceiveSlots(ipc);
            return sys.recv(config.endpoint);
        }
        if (received > 0) { // answer first, since the reply may carry a received capability back
            answer(sys, reply);
            clearReceived(sys, received);
            armReceiveSlots(ipc);
            return sys.recv(config.endpoint);
        }
        armReceiveSlots(ipc);
        Status s = sys.replyWait(config.endpoint, reply);
        if (s == Status.OK || ipc.reason() == Reason.NONE) {
            return s; // a refusal always names its reason; TIMEOUT, INTERRUPTED, REVOKED do not
        }
        answer(sys, reply); // which half refused? the Reply alone says; then the Recv alone
        return sys.recv(config.endpoint);
    }

    /** Replies; a refused reply is logged and replaced by REPLY_REFUSED, which cannot be refused. */
    private void answer(Syscalls sys, long reply) {
        Status s = sys.reply(reply);
        if (s != Status.OK) {
            config.log.event(Event.REPLY_REFUSED, sys.ipc().reason().ordinal(), null);
            Status again = sys.reply(REPLY_REFUSED);
            assert again == Status.OK : "an error answer without registers or capabilities was refused: " + again;
        }
    }

    /** The last message's answer, then every queued caller answered STOPPED, then sessions closed. */
    private void finish(Syscalls sys, long reply) {
        if (reply != NONE) {
            answer(sys, reply);
        }
        while (sys.nbRecv(config.endpoint) == Status.OK) {
            IpcBuffer ipc = sys.ipc();
            if (ipc.kind() == Kind.CALL) {
                answer(sys, STOPPED);
            } else if (ipc.kind() == Kind.SEND && MessageInfo.isSystem(ipc.info())) {
                systemMessage(sys, ipc);
            }
        }
        sessions.drain((badge, session) -> closeSession(badge, session));
        RuntimeException e = rethrow;
        if (e != null) {
            throw e;
        }
    }

    /** Routes one message; returns the reply's info word, or NONE. */
    private long handle(Syscalls sys) {
        IpcBuffer ipc = sys.ipc();
        long info = ipc.info();
        received = MessageInfo.isSystem(info) ? 0 : MessageInfo.caps(info);
        switch (MessageInfo.kind(info)) {
            case NOTIFICATION -> notified(sys, ipc.badge());
            case SEND -> {
                if (MessageInfo.isSystem(info)) {
                    systemMessage(sys, ipc);
                } else {
                    oneWay(sys, ipc);
                }
            }
            case CALL -> {
                return call(sys, ipc);
            }
            case REPLY -> {
                if (!MessageInfo.isAsync(info)) {
                    throw new AssertionError("Recv delivered a synchronous reply");
                }
                asyncAnswer(sys, ipc.badge());
            }
            case NONE -> throw new AssertionError("Recv delivered a message of kind " + MessageInfo.kind(info));
        }
        return NONE;
    }

    private long call(Syscalls sys, IpcBuffer ipc) {
        int label = ipc.label();
        long reply;
        try {
            caller.begin(sys, ipc.badge(), label, true, session(ipc.badge()));
            reply = dispatcher.dispatch(sys, caller);
        } catch (IpcException e) {
            reply = errorAnswer(e, label);
        } catch (RuntimeException e) {
            reply = threw(e, label);
        }
        return caller.isDeferred() ? NONE : reply;
    }

    private void oneWay(Syscalls sys, IpcBuffer ipc) {
        int label = ipc.label();
        try {
            caller.begin(sys, ipc.badge(), label, false, session(ipc.badge()));
            long unused = dispatcher.dispatch(sys, caller); // nobody to answer
        } catch (IpcException e) {
            config.log.event(Event.ONE_WAY_DROPPED, label, e);
        } catch (RuntimeException e) {
            long unused = threw(e, label);
        }
    }

    /** The answer for an IpcException a handler threw: its error if it is one this interface answers. */
    private long errorAnswer(IpcException e, int label) {
        Enum<?> error = e.error();
        if (error != null && (error instanceof ProtocolError || error.getDeclaringClass() == dispatcher.errors())) {
            return Wire.errorReply(error);
        }
        config.log.event(Event.HANDLER_FAILED_CALL, label, e);
        return HANDLER_FAILED;
    }

    private long threw(RuntimeException e, int label) {
        config.log.event(Event.HANDLER_THREW, label, e);
        switch (config.policy) {
            case ANSWER_AND_CONTINUE -> { }
            case ANSWER_AND_STOP -> stopping = true;
            case ANSWER_AND_RETHROW -> {
                stopping = true;
                rethrow = e;
            }
        }
        return HANDLER_FAILED;
    }

    private @Nullable Object session(long badge) {
        SessionFactory factory = config.sessionFactory;
        if (factory == null) {
            return null;
        }
        Object s = sessions.get(badge);
        if (s == null) {
            s = factory.open(badge);
            sessions.put(badge, s);
        }
        return s;
    }

    private void notified(Syscalls sys, long word) {
        long unrouted = word;
        for (int i = 0; i < config.routes; i++) {
            long bits = word & config.routeBits[i];
            if (bits != 0) {
                unrouted &= ~bits;
                NotificationHandler h = config.routeHandlers[i];
                try {
                    if (h != null) {
                        h.notified(this, sys, bits);
                    }
                } catch (RuntimeException e) {
                    long unused = threw(e, 0);
                }
            }
        }
        if (unrouted != 0) {
            config.log.event(Event.UNROUTED_NOTIFICATION, unrouted, null);
        }
    }

    private void asyncAnswer(Syscalls sys, long tag) {
        AsyncAnswerHandler h = config.onAsyncAnswer;
        if (h == null) {
            config.log.event(Event.UNROUTED_ASYNC_ANSWER, tag, null);
            return;
        }
        try {
            h.answered(this, sys, tag);
        } catch (RuntimeException e) {
            long unused = threw(e, 0);
        }
    }

    private void systemMessage(Syscalls sys, IpcBuffer ipc) {
        SystemMessage kind = SystemMessage.ofLabel(ipc.label());
        long badge = ipc.badge();
        long word = ipc.mr(0);
        if (kind == null) {
            throw new AssertionError("the kernel sent a system message with label " + ipc.label());
        }
        SystemHandler h = switch (kind) {
            case CALLER_CANCELLED -> config.onCallerCancelled;
            case BADGE_DISCONNECTED -> config.onBadgeDisconnected;
            case TASK_FAULTED -> config.onTaskFaulted;
        };
        if (kind == SystemMessage.BADGE_DISCONNECTED) {
            Object s = sessions.remove(badge);
            if (s != null) {
                closeSession(badge, s);
            }
        }
        try {
            if (h != null) {
                h.handle(this, sys, badge, word);
            }
        } catch (RuntimeException e) {
            config.log.event(Event.SYSTEM_HANDLER_THREW, kind.label(), e);
        }
        if (kind == SystemMessage.CALLER_CANCELLED) {
            // Frees the reply capability: a reply to a cancelled context is dropped (OK); a token the
            // handler already used is refused (INVALID_CAPABILITY) and changes nothing.
            Status unused = Deferred.done(sys, word);
        }
    }

    private void closeSession(long badge, Object session) {
        SessionCloser closer = config.sessionCloser;
        try {
            if (closer != null) {
                closer.close(badge, session);
            }
        } catch (RuntimeException e) {
            config.log.event(Event.SYSTEM_HANDLER_THREW, SystemMessage.BADGE_DISCONNECTED.label(), e);
        }
    }

    private void armReceiveSlots(IpcBuffer ipc) {
        int[] slots = config.receiveSlots;
        for (int i = 0; i < slots.length; i++) {
            ipc.setReceiveSlot(i, slots[i]);
        }
    }

    /** Deletes what the last message left in the receive slots, so the next capabilities can land. */
    private void clearReceived(Syscalls sys, int received) {
        for (int i = 0; i < received && i < config.receiveSlots.length; i++) {
            Status unused = sys.delete(config.receiveSlots[i]); // empty (the handler moved it): OK
        }
    }

    /**
     * How to build a {@link Server}: each setting may be given once, and is checked when given
     * (slots in range, bits that do not overlap), so a mistake is reported where it was made.
     */
    public static final class Builder {
        private final int endpoint;
        private final Dispatcher dispatcher;
        private int notification = -1;
        private int routes;
        private long[] routeBits = new long[0];
        private @Nullable NotificationHandler[] routeHandlers = new NotificationHandler[0];
        private @Nullable SessionFactory sessionFactory;
        private @Nullable SessionCloser sessionCloser;
        private @Nullable SystemHandler onCallerCancelled;
        private @Nullable SystemHandler onBadgeDisconnected;
        private @Nullable SystemHandler onTaskFaulted;
        private @Nullable AsyncAnswerHandler onAsyncAnswer;
        private @Nullable ExceptionPolicy policySet;
        private ExceptionPolicy policy = ExceptionPolicy.ANSWER_AND_CONTINUE;
        private @Nullable Log logSet;
        private Log log = Builder::systemLog;
        private int @Nullable [] receiveSlotsSet;
        private int[] receiveSlots = new int[0];
        private boolean built;

        private Builder(int endpoint, Dispatcher dispatcher) {
            if (endpoint < 0) {
                throw new IllegalArgumentException("the endpoint slot must be >= 0, was " + endpoint);
            }
            this.endpoint = endpoint;
            this.dispatcher = java.util.Objects.requireNonNull(dispatcher, "dispatcher");
        }

        /** Binds the notification in {@code slot} (READ) to the server task, for {@link #onNotification}. */
        public Builder notification(int slot) {
            once(notification != -1, "notification", notification);
            if (slot < 0 || slot == endpoint) {
                throw new IllegalArgumentException("the notification slot must be >= 0 and not the endpoint's ("
                        + endpoint + "), was " + slot);
            }
            notification = slot;
            return this;
        }

        /** Routes the notification word's {@code bits} to {@code handler}; bits of two routes may not overlap. */
        public Builder onNotification(long bits, NotificationHandler handler) {
            java.util.Objects.requireNonNull(handler, "handler");
            if (bits == 0) {
                throw new IllegalArgumentException("a route needs at least one bit");
            }
            for (int i = 0; i < routes; i++) {
                if ((routeBits[i] & bits) != 0) {
                    throw new IllegalArgumentException("bits 0x" + Long.toHexString(bits & routeBits[i])
                            + " are routed already (route 0x" + Long.toHexString(routeBits[i]) + ")");
                }
            }
            routeBits = java.util.Arrays.copyOf(routeBits, routes + 1);
            routeHandlers = java.util.Arrays.copyOf(routeHandlers, routes + 1);
            routeBits[routes] = bits;
            routeHandlers[routes] = handler;
            routes++;
            return this;
        }

        /** Opens a session per badge on its first message and closes it when the badge disconnects. */
        public Builder sessions(SessionFactory open, SessionCloser close) {
            once(sessionFactory != null, "sessions", sessionFactory);
            sessionFactory = java.util.Objects.requireNonNull(open, "open");
            sessionCloser = java.util.Objects.requireNonNull(close, "close");
            return this;
        }

        /** Told the token of a deferred call whose caller gave up (the library frees the token after). */
        public Builder onCallerCancelled(SystemHandler handler) {
            once(onCallerCancelled != null, "onCallerCancelled", onCallerCancelled);
            onCallerCancelled = java.util.Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Told when a badge's last capability is gone (after its session, if any, is closed). */
        public Builder onBadgeDisconnected(SystemHandler handler) {
            once(onBadgeDisconnected != null, "onBadgeDisconnected", onBadgeDisconnected);
            onBadgeDisconnected = java.util.Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Told when a task whose fault endpoint this is threw (word: the task's id). */
        public Builder onTaskFaulted(SystemHandler handler) {
            once(onTaskFaulted != null, "onTaskFaulted", onTaskFaulted);
            onTaskFaulted = java.util.Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Told when the answer to an AsyncCall this server made arrives on its endpoint (a port bound
         * with the server's endpoint as its reply endpoint); without a handler it is logged
         * ({@link Event#UNROUTED_ASYNC_ANSWER}) and dropped.
         */
        public Builder onAsyncAnswer(AsyncAnswerHandler handler) {
            once(onAsyncAnswer != null, "onAsyncAnswer", onAsyncAnswer);
            onAsyncAnswer = java.util.Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** What a throwing handler does to the loop; {@link ExceptionPolicy#ANSWER_AND_CONTINUE} by default. */
        public Builder onHandlerException(ExceptionPolicy policy) {
            once(policySet != null, "onHandlerException", policySet);
            policySet = java.util.Objects.requireNonNull(policy, "policy");
            this.policy = policy;
            return this;
        }

        /** Where events are logged; by default the {@code io.capipc.servers} System.Logger, at WARNING. */
        public Builder log(Log log) {
            once(logSet != null, "log", logSet);
            logSet = java.util.Objects.requireNonNull(log, "log");
            this.log = log;
            return this;
        }

        /** The empty slots where capabilities sent to the server land, in order (as many as an operation takes). */
        public Builder receiveSlots(int... slots) {
            once(receiveSlotsSet != null, "receiveSlots", receiveSlotsSet == null ? null : java.util.Arrays.toString(receiveSlotsSet));
            if (slots.length > MessageInfo.MAX_CAPS) {
                throw new IllegalArgumentException("at most " + MessageInfo.MAX_CAPS + " receive slots, were " + slots.length);
            }
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] < 0 || slots[i] == endpoint || slots[i] == notification) {
                    throw new IllegalArgumentException("receive slot " + slots[i] + " must be >= 0 and neither the endpoint's"
                            + " nor the notification's slot");
                }
                for (int j = 0; j < i; j++) {
                    if (slots[j] == slots[i]) {
                        throw new IllegalArgumentException("receive slot " + slots[i] + " is given twice");
                    }
                }
            }
            receiveSlotsSet = slots.clone();
            receiveSlots = slots.clone();
            return this;
        }

        /**
         * The server.
         *
         * @throws IllegalStateException if built already, if notification routes were given without a
         *     notification slot, or if the interface receives more capabilities than receive slots were given
         */
        public Server build() {
            if (built) {
                throw new IllegalStateException("this builder already built a server; a Server serves one task");
            }
            if (routes > 0 && notification < 0) {
                throw new IllegalStateException("notification routes need the notification's slot: call notification(slot)");
            }
            if (receiveSlots.length < dispatcher.capabilitiesIn()) {
                throw new IllegalStateException(dispatcher.interfaceName() + " receives up to " + dispatcher.capabilitiesIn()
                        + " capabilities in one call, but " + receiveSlots.length + " receive slots were given");
            }
            built = true;
            return new Server(this);
        }

        private static void once(boolean set, String what, @Nullable Object was) {
            if (set) {
                throw new IllegalStateException(what + " was already set (to " + was + "); each setting is given once");
            }
        }

        private static void systemLog(Event event, long detail, @Nullable Throwable cause) {
            System.getLogger("io.capipc.servers").log(System.Logger.Level.WARNING,
                    "server " + event + " (" + detail + ")", cause);
        }
    }
}
