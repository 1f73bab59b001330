package io.reploid.client;

import static io.reploid.client.Outcomes.WAIT_SECONDS;
import static io.reploid.client.Outcomes.bytes;
import static io.reploid.client.Outcomes.failureOf;
import static io.reploid.client.Outcomes.text;
import static io.reploid.client.Outcomes.valueOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.Transports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReploidClientTest {
    private ScriptedGateway gateway;
    private final List<ReploidClient> clients = new ArrayList<>();

    @BeforeEach
    void startGateway() {
        gateway = ScriptedGateway.start("instance-1");
    }

    @AfterEach
    void closeAll() {
        clients.forEach(ReploidClient::close);
        gateway.close();
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(WAIT_SECONDS));
    }

    private ReploidClient.Builder builder() {
        return TestIds.firstIdOne(ReploidClient.builder()).clientId("client-1").gateway(gateway.hostPort());
    }

    private ReploidClient track(ReploidClient client) {
        clients.add(client);
        return client;
    }

    private ReploidClient connected(ReploidClient.Builder builder) {
        ReploidClient client = track(builder.build());
        valueOf(client.connect());
        return client;
    }

    @Test
    void connectsAndExchangesRequestAndResponse() {
        ReploidClient client = track(builder().metadata("region", "eu").build());
        assertThat(client.instanceId()).isNull();
        assertThat(client.state()).isEqualTo(ReploidClient.State.IDLE);

        valueOf(client.connect());

        assertThat(client.isConnected()).isTrue();
        assertThat(client.instanceId()).isEqualTo("instance-1");
        assertThat(client.gateway().getPort()).isEqualTo(gateway.port());
        assertThat(gateway.hellos).singleElement().satisfies(hello -> {
            assertThat(hello.clientId()).isEqualTo("client-1");
            assertThat(hello.metadata()).isEqualTo(Map.of("region", "eu"));
        });
        assertThat(text(valueOf(client.request(bytes("ping"))))).isEqualTo("ping");
        assertThat(valueOf(client.connect())).as("connect when connected").isNull();
    }

    @Test
    void largeAndEmptyPayloadsTravelIntact() {
        ReploidClient client = connected(builder());
        byte[] large = new byte[200_000];
        Arrays.fill(large, (byte) 7);

        assertThat(valueOf(client.request(large))).isEqualTo(large);
        assertThat(valueOf(client.request(new byte[0]))).isEmpty();
    }

    @Test
    void responsesMayArriveInAnyOrder() {
        gateway.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder());
        CompletableFuture<byte[]> first = client.request(bytes("first"));
        CompletableFuture<byte[]> second = client.request(bytes("second"));
        CompletableFuture<byte[]> third = client.request(bytes("third"));
        eventually().until(() -> gateway.heldIds().size() == 3);
        List<Long> ids = List.copyOf(gateway.heldIds());

        gateway.answer(ids.get(2));
        assertThat(text(valueOf(third))).isEqualTo("third");
        gateway.answer(ids.get(0));
        assertThat(text(valueOf(first))).isEqualTo("first");
        assertThat(second).isNotDone();
        gateway.answer(ids.get(1));
        assertThat(text(valueOf(second))).isEqualTo("second");
    }

    @Test
    void errorForOneRequestFailsOnlyThatRequest() {
        gateway.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder());
        CompletableFuture<byte[]> failing = client.request(bytes("a"));
        CompletableFuture<byte[]> answered = client.request(bytes("b"));
        eventually().until(() -> gateway.heldIds().size() == 2);

        gateway.fail(1, ErrorCode.HANDLER_ERROR);
        gateway.answer(2);

        ReploidException error = failureOf(failing);
        assertThat(error.code()).isEqualTo(ErrorCode.HANDLER_ERROR);
        assertThat(error.retriable()).isFalse();
        assertThat(text(valueOf(answered))).isEqualTo("b");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void pushesReachTheListenerInOrderOffTheEventLoop() {
        List<String> pushes = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ReploidClient client = connected(builder().onPush(payload -> {
            threads.add(Thread.currentThread());
            pushes.add(text(payload));
        }));

        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sent.add("push-" + i);
            gateway.push(bytes("push-" + i));
        }

        eventually().until(() -> pushes.size() == sent.size());
        assertThat(pushes).containsExactlyElementsOf(sent);
        Session session = (Session) client;
        assertThat(threads).noneMatch(t -> session.eventLoop().inEventLoop(t));
    }

    @Test
    void slowPushListenerPausesReadingAndEveryPushArrivesOnceItCatchesUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> pushes = new CopyOnWriteArrayList<>();
        ReploidClient client = connected(builder().onPush(payload -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pushes.add(text(payload));
        }));
        int count = Callbacks.PUSH_HIGH_WATER * 4;

        for (int i = 0; i < count; i++) {
            gateway.push(bytes("push-" + i));
        }
        Callbacks callbacks = ((Session) client).callbacks();
        eventually().until(() -> callbacks.pushBacklog() >= Callbacks.PUSH_HIGH_WATER);
        CompletableFuture<byte[]> response = client.request(bytes("after"));
        release.countDown();

        eventually().until(() -> pushes.size() == count);
        assertThat(pushes.get(0)).isEqualTo("push-0");
        assertThat(pushes.get(count - 1)).isEqualTo("push-" + (count - 1));
        assertThat(text(valueOf(response))).isEqualTo("after");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void theJavadocExampleRuns() {
        List<String> printed = new CopyOnWriteArrayList<>();
        try (ReploidClient client = ReploidClient.builder()
                .clientId("player-42")
                .gateways("127.0.0.1:1," + gateway.hostPort())
                .onPush(bytes -> printed.add("pushed " + bytes.length + " bytes"))
                .build()) {
            client.connect().join();
            byte[] answer = client.request("hello".getBytes(StandardCharsets.UTF_8)).join();
            assertThat(text(answer)).isEqualTo("hello");
        }
    }

    @Test
    void futuresCompleteOnTheCallbackExecutorNeverOnTheEventLoop() {
        gateway.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder());
        CompletableFuture<byte[]> response = client.request(bytes("x"));
        AtomicReference<Thread> completer = new AtomicReference<>();
        CompletableFuture<byte[]> observed = response.whenComplete((v, e) -> completer.set(Thread.currentThread()));
        eventually().until(() -> gateway.heldIds().size() == 1);

        gateway.answerAll();

        valueOf(observed);
        assertThat(((Session) client).eventLoop().inEventLoop(completer.get())).isFalse();
        assertThat(completer.get().getName()).startsWith("reploid-client-callback");
    }

    @Test
    void usesTheGivenEventLoopGroupAndCallbackExecutorAndLeavesThemRunning() {
        EventLoopGroup group = Transports.newGroup(1, "shared-loop");
        ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> new Thread(r, "user-callbacks"));
        try {
            ReploidClient.Builder b = builder().eventLoopGroup(group).callbackExecutor(callbacks);
            ReploidClient one = connected(b);
            ReploidClient two = connected(b.clientId("client-2"));
            AtomicReference<Thread> completer = new AtomicReference<>();

            gateway.answers = ScriptedGateway.Answers.HOLD;
            CompletableFuture<byte[]> observed =
                    one.request(bytes("1")).whenComplete((v, e) -> completer.set(Thread.currentThread()));
            eventually().until(() -> gateway.heldIds().size() == 1);
            gateway.answerAll();
            valueOf(observed);
            assertThat(completer.get().getName()).isEqualTo("user-callbacks");
            gateway.answers = ScriptedGateway.Answers.ECHO;
            one.close();

            assertThat(group.isShuttingDown()).isFalse();
            assertThat(callbacks.isShutdown()).isFalse();
            assertThat(text(valueOf(two.request(bytes("2"))))).isEqualTo("2");
            two.close();
        } finally {
            callbacks.shutdown();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void requestTimesOutAndItsLateResponseIsDropped() {
        gateway.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder());

        CompletableFuture<byte[]> slow = client.request(bytes("slow"), Duration.ofMillis(50));

        ReploidException error = failureOf(slow);
        assertThat(error.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(error.retriable()).isTrue();
        assertThat(client.inFlight()).isZero();
        eventually().until(() -> gateway.heldIds().size() == 1);
        gateway.answerAll(); // late: dropped
        gateway.answers = ScriptedGateway.Answers.ECHO;
        assertThat(text(valueOf(client.request(bytes("next"))))).isEqualTo("next");
        assertThat(((Session) client).outstanding()).isZero();
    }

    @Test
    void timeoutCountsFromTheRequestCallEvenWhileQueued() {
        ReploidClient client = track(builder().build()); // never connected

        CompletableFuture<byte[]> queued = client.request(bytes("q"), Duration.ofMillis(50));

        assertThat(failureOf(queued).code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(((Session) client).outstanding()).isZero();
        assertThat(gateway.hellos).isEmpty();
    }

    @Test
    void requestsMadeBeforeConnectAreSentAfterTheHandshake() {
        ReploidClient client = track(builder().build());
        CompletableFuture<byte[]> early = client.request(bytes("early"));

        valueOf(client.connect());

        assertThat(text(valueOf(early))).isEqualTo("early");
    }

    @Test
    void boundsRequestsInFlightQueuesTheRestAndRefusesBeyondMaxPending() {
        gateway.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder().maxInFlight(2).maxPending(3));
        List<CompletableFuture<byte[]>> admitted = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            admitted.add(client.request(bytes("r" + i)));
        }
        eventually().until(() -> gateway.requestIds.size() == 2);
        assertThat(client.inFlight()).isEqualTo(2);

        CompletableFuture<byte[]> refused = client.request(bytes("r6"));

        assertThat(refused).isCompletedExceptionally();
        ReploidException error = failureOf(refused);
        assertThat(error.code()).isEqualTo(ErrorCode.OVERLOADED);
        assertThat(error.retriable()).isTrue();
        assertThat(gateway.requestIds).containsExactly(1L, 2L);

        gateway.answer(2);
        eventually().until(() -> gateway.requestIds.size() == 3);
        assertThat(gateway.requestIds).containsExactly(1L, 2L, 3L);
        assertThat(text(valueOf(admitted.get(1)))).isEqualTo("r2");

        eventually().until(() -> {
            gateway.answerAll();
            return admitted.stream().allMatch(CompletableFuture::isDone);
        });
        for (int i = 0; i < admitted.size(); i++) {
            assertThat(text(valueOf(admitted.get(i)))).isEqualTo("r" + (i + 1));
        }
        assertThat(gateway.requestIds).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(client.inFlight()).isZero();
    }

    @Test
    void cancellingARequestFreesItsSlot() {
        gateway.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder().maxInFlight(1).maxPending(0));
        CompletableFuture<byte[]> cancelled = client.request(bytes("a"));
        eventually().until(() -> gateway.heldIds().size() == 1);

        cancelled.cancel(false);

        eventually().until(() -> client.inFlight() == 0);
        gateway.answers = ScriptedGateway.Answers.ECHO;
        assertThat(text(valueOf(client.request(bytes("b"))))).isEqualTo("b");
        gateway.answerAll(); // late answer to the cancelled request: dropped
        assertThat(text(valueOf(client.request(bytes("c"))))).isEqualTo("c");
    }

    @Test
    void payloadOverMaxFrameSizeFailsAtOnce() {
        ReploidClient client = connected(builder().maxFrameSize(1024));

        CompletableFuture<byte[]> tooLarge = client.request(new byte[1024]);

        assertThat(tooLarge).isCompletedExceptionally();
        assertThat(failureOf(tooLarge).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(valueOf(client.request(new byte[1015]))).hasSize(1015);
    }

    @Test
    void closeFailsEverythingOutstandingWithClosedAndStopsTheOwnEventLoop() {
        gateway.answers = ScriptedGateway.Answers.HOLD;
        List<ReploidClient.State> states = new CopyOnWriteArrayList<>();
        ReploidClient client = connected(builder().maxInFlight(1).onStateChange(states::add));
        CompletableFuture<byte[]> sent = client.request(bytes("sent"));
        CompletableFuture<byte[]> queued = client.request(bytes("queued"));
        eventually().until(() -> gateway.heldIds().size() == 1);

        client.close();

        for (CompletableFuture<byte[]> f : List.of(sent, queued)) {
            ReploidException error = failureOf(f);
            assertThat(error.code()).isEqualTo(ErrorCode.CLOSED);
            assertThat(error.retriable()).isFalse();
        }
        Session session = (Session) client;
        assertThat(session.eventLoop().isTerminated()).isTrue();
        assertThat(session.outstanding()).isZero();
        assertThat(client.state()).isEqualTo(ReploidClient.State.CLOSED);
        assertThat(client.isConnected()).isFalse();
        assertThat(client.gateway()).isNull();

        CompletableFuture<byte[]> after = client.request(bytes("after"));
        assertThat(after).isCompletedExceptionally();
        assertThat(failureOf(after).code()).isEqualTo(ErrorCode.CLOSED);
        assertThat(failureOf(client.connect()).code()).isEqualTo(ErrorCode.CLOSED);
        client.close(); // idempotent

        eventually().until(() -> gateway.connectionCount() == 0);
        eventually().until(() -> states.contains(ReploidClient.State.CLOSED));
        assertThat(states).containsExactly(ReploidClient.State.CONNECTING, ReploidClient.State.CONNECTED,
                ReploidClient.State.CLOSED);
    }

    @Test
    void closeBeforeConnectFailsQueuedRequestsAndConnect() {
        ReploidClient client = track(builder().build());
        CompletableFuture<byte[]> queued = client.request(bytes("q"));

        client.close();

        assertThat(failureOf(queued).code()).isEqualTo(ErrorCode.CLOSED);
        assertThat(failureOf(client.connect()).code()).isEqualTo(ErrorCode.CLOSED);
        assertThat(gateway.hellos).isEmpty();
    }
}
