package io.capipc.benchmarks;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.AbstractBlockingStub;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Frameworks: what Java developers build request/response servers with today, each running an echo
 * server in the benchmark's JVM, called from JMH's thread (a platform thread) that blocks for the
 * reply. {@code benchmarks/run.sh quick} leaves this class out ({@code -e Frameworks}); only the full
 * run measures it.
 *
 * <ul>
 *   <li>{@link #pekkoAskRoundTrip}: Apache Pekko typed actors, {@code AskPattern.ask} to an echo actor
 *       (the actor system's guardian) on the default dispatcher;
 *   <li>{@link #grpcInProcessDirectRoundTrip}, {@link #grpcInProcessDefaultRoundTrip}: gRPC-java's
 *       in-process transport, a unary echo method called through a blocking stub, with {@code
 *       directExecutor()} on server and channel (the service runs on the calling thread), and with
 *       the default executors (the service runs on gRPC's shared cached pool);
 *   <li>{@link #vertxEventBusRoundTrip}: Vert.x 5, event-bus {@code request} to a local consumer that
 *       replies; the consumer runs on an event-loop thread.
 * </ul>
 *
 * <p>The message is a boxed {@code Long} 1 (a cached instance); gRPC marshals it to and from 8 bytes
 * with a hand-written marshaller, as protobuf would marshal its message. Everything is set up per
 * trial and shut down in the trial's teardown, so the fork exits.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Frameworks {
    static final Long MESSAGE = 1L;
    /** Long enough never to fire in a healthy run; a timeout fails the benchmark instead of hanging. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    // ---------------------------------------------------------------- Pekko

    /** The echo actor's protocol: a value and where to send it back. */
    public record Ping(Long value, ActorRef<Long> replyTo) {}

    static Behavior<Ping> echo() {
        return Behaviors.receiveMessage(ping -> {
            ping.replyTo().tell(ping.value());
            return Behaviors.same();
        });
    }

    @State(Scope.Thread)
    public static class Pekko {
        /** The system's guardian is the echo actor itself, so the system is its ActorRef. */
        ActorSystem<Ping> system;

        @Setup(Level.Trial)
        public void setUp() {
            system = ActorSystem.create(echo(), "capipc-bench-echo");
        }

        Long ask() throws InterruptedException, ExecutionException, TimeoutException {
            return AskPattern.<Ping, Long>ask(system, replyTo -> new Ping(MESSAGE, replyTo), TIMEOUT,
                    system.scheduler())
                    .toCompletableFuture()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException, ExecutionException, TimeoutException {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    // ---------------------------------------------------------------- gRPC

    /** A long as 8 big-endian bytes: the whole wire format of the echo method. */
    static final class LongMarshaller implements MethodDescriptor.Marshaller<Long> {
        @Override
        public InputStream stream(Long value) {
            long v = value;
            byte[] b = new byte[8];
            for (int i = 7; i >= 0; i--) {
                b[i] = (byte) v;
                v >>>= 8;
            }
            return new ByteArrayInputStream(b);
        }

        @Override
        public Long parse(InputStream stream) {
            try {
                byte[] b = stream.readNBytes(8);
                if (b.length != 8) {
                    throw new IllegalArgumentException("expected 8 bytes, got " + b.length);
                }
                long v = 0;
                for (byte x : b) {
                    v = (v << 8) | (x & 0xff);
                }
                return v;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final MethodDescriptor<Long, Long> ECHO = MethodDescriptor.<Long, Long>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName("capipc.bench.Echo", "Echo"))
            .setRequestMarshaller(new LongMarshaller())
            .setResponseMarshaller(new LongMarshaller())
            .build();

    /** What protoc's grpc plugin would generate as the blocking stub of the echo service. */
    static final class EchoBlockingStub extends AbstractBlockingStub<EchoBlockingStub> {
        EchoBlockingStub(Channel channel, CallOptions options) {
            super(channel, options);
        }

        @Override
        protected EchoBlockingStub build(Channel channel, CallOptions options) {
            return new EchoBlockingStub(channel, options);
        }

        Long echo(Long request) {
            return ClientCalls.blockingUnaryCall(getChannel(), ECHO, getCallOptions(), request);
        }
    }

    abstract static class Grpc {
        Server server;
        ManagedChannel channel;
        EchoBlockingStub stub;

        void start(boolean direct) throws IOException {
            ServerServiceDefinition service = ServerServiceDefinition.builder("capipc.bench.Echo")
                    .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
                        response.onNext(request);
                        response.onCompleted();
                    }))
                    .build();
            String name = InProcessServerBuilder.generateName();
            InProcessServerBuilder serverBuilder = InProcessServerBuilder.forName(name).addService(service);
            InProcessChannelBuilder channelBuilder = InProcessChannelBuilder.forName(name);
            if (direct) {
                serverBuilder.directExecutor();
                channelBuilder.directExecutor();
            }
            server = serverBuilder.build().start();
            channel = channelBuilder.build();
            stub = new EchoBlockingStub(channel, CallOptions.DEFAULT);
        }

        void stop() throws InterruptedException {
            channel.shutdownNow();
            server.shutdownNow();
            if (!channel.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    || !server.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("gRPC channel or server did not terminate");
            }
        }
    }

    @State(Scope.Thread)
    public static class GrpcDirect extends Grpc {
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            start(true);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop();
        }
    }

    @State(Scope.Thread)
    public static class GrpcDefault extends Grpc {
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            start(false);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stop();
        }
    }

    // ---------------------------------------------------------------- Vert.x

    @State(Scope.Thread)
    public static class VertxBus {
        static final String ADDRESS = "capipc.bench.echo";
        Vertx vertx;
        EventBus bus;

        @Setup(Level.Trial)
        public void setUp() throws InterruptedException, ExecutionException, TimeoutException {
            vertx = Vertx.vertx();
            bus = vertx.eventBus();
            bus.<Long>consumer(ADDRESS, message -> message.reply(message.body()))
                    .completion()
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }

        Long request() throws InterruptedException, ExecutionException, TimeoutException {
            Message<Long> reply = bus.<Long>request(ADDRESS, MESSAGE)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return reply.body();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException, ExecutionException, TimeoutException {
            vertx.close().toCompletionStage().toCompletableFuture()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    // ---------------------------------------------------------------- benchmarks

    @Benchmark
    public Long pekkoAskRoundTrip(Pekko p) throws InterruptedException, ExecutionException, TimeoutException {
        return p.ask();
    }

    @Benchmark
    public Long grpcInProcessDirectRoundTrip(GrpcDirect g) {
        return g.stub.echo(MESSAGE);
    }

    @Benchmark
    public Long grpcInProcessDefaultRoundTrip(GrpcDefault g) {
        return g.stub.echo(MESSAGE);
    }

    @Benchmark
    public Long vertxEventBusRoundTrip(VertxBus v) throws InterruptedException, ExecutionException, TimeoutException {
        return v.request();
    }
}
