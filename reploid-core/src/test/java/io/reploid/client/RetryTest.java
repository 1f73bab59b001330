package io.reploid.client;

import static io.reploid.client.Outcomes.WAIT_SECONDS;
import static io.reploid.client.Outcomes.bytes;
import static io.reploid.client.Outcomes.failureOf;
import static io.reploid.client.Outcomes.text;
import static io.reploid.client.Outcomes.valueOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import io.reploid.internal.protocol.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Requests sent again with the same id after retriable failures and lost connections. */
class RetryTest {
    /** A backoff no test waits out: a request in it is observably not sent again. */
    private static final Duration LONG = Duration.ofSeconds(10);

    private ScriptedGateway first;
    private ScriptedGateway second;
    private final List<ReploidClient> clients = new ArrayList<>();

    @BeforeEach
    void startGateways() {
        first = ScriptedGateway.start("instance-1");
        second = ScriptedGateway.start("instance-2");
    }

    @AfterEach
    void closeAll() {
        clients.forEach(ReploidClient::close);
        first.close();
        second.close();
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(WAIT_SECONDS)).pollInterval(Duration.ofMillis(10));
    }

    private ReploidClient connected(ReploidClient.Builder builder) {
        ReploidClient client = builder.build();
        clients.add(client);
        valueOf(client.connect());
        return client;
    }

    private ReploidClient.Builder builder() {
        return TestIds.firstIdOne(ReploidClient.builder())
                .clientId("client-1")
                .gateways(first.hostPort() + "," + second.hostPort())
                .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .retryBackoff(Duration.ofMillis(1), Duration.ofMillis(10));
    }

    private static int outstanding(ReploidClient client) {
        return ((Session) client).outstanding();
    }

    private static long count(List<Long> ids, long id) {
        return ids.stream().filter(i -> i == id).count();
    }

    @Test
    void instanceUnavailableIsSentAgainWithTheSameIdAndCompletesWithTheLaterAnswer() {
        first.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder());
        CompletableFuture<byte[]> response = client.request(bytes("deposit 10"));
        eventually().until(() -> first.heldIds().contains(1L));

        first.fail(1, ErrorCode.INSTANCE_UNAVAILABLE);

        eventually().until(() -> first.heldIds().contains(1L));
        first.answer(1, bytes("recorded: balance 10"));
        assertThat(text(valueOf(response))).isEqualTo("recorded: balance 10");
        assertThat(first.requestIds).containsExactly(1L, 1L);
        assertThat(client.inFlight()).isZero();
        assertThat(outstanding(client)).isZero();
    }

    @Test
    void everyRetriableCodeButTimeoutIsRetried() {
        ReploidClient client = connected(builder());
        List<ErrorCode> retried = Arrays.stream(ErrorCode.values())
                .filter(c -> c.retriable() && c != ErrorCode.TIMEOUT).toList();
        assertThat(retried).contains(ErrorCode.INSTANCE_UNAVAILABLE, ErrorCode.CONNECTION_LOST,
                ErrorCode.OVERLOADED, ErrorCode.SHUTTING_DOWN, ErrorCode.NO_CAPACITY);

        for (ErrorCode code : retried) {
            first.failNext(code, code);
            assertThat(text(valueOf(client.request(bytes(code.name()))))).as(code.name()).isEqualTo(code.name());
        }

        List<Long> ids = List.copyOf(first.requestIds);
        assertThat(ids).hasSize(3 * retried.size());
        for (long id = 1; id <= retried.size(); id++) {
            assertThat(count(ids, id)).as("sends of request " + id).isEqualTo(3);
        }
        assertThat(outstanding(client)).isZero();
    }

    @Test
    void nonRetriableErrorsAndTimeoutFailAtOnce() {
        ReploidClient client = connected(builder());
        List<ErrorCode> finalCodes = Arrays.stream(ErrorCode.values())
                .filter(c -> !c.retriable() || c == ErrorCode.TIMEOUT).toList();

        long id = 0;
        for (ErrorCode code : finalCodes) {
            first.failNext(code);
            ReploidException error = failureOf(client.request(bytes("fails")));
            assertThat(error.code()).as(code.name()).isEqualTo(code);
            id++;
            // A retry would be sent before the next request: its absence shows the request was given up.
            assertThat(text(valueOf(client.request(bytes("next"))))).isEqualTo("next");
            id++;
            assertThat(count(first.requestIds, id - 1)).as(code.name()).isEqualTo(1);
        }
        assertThat(first.requestIds).hasSize(2 * finalCodes.size()).doesNotHaveDuplicates();
        assertThat(outstanding(client)).isZero();
    }

    @Test
    void lostConnectionResendsRequestsInFlightWithTheSameIdsInOrderBeforeNewerOnes() {
        first.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder().maxInFlight(2));
        List<CompletableFuture<byte[]>> responses = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            responses.add(client.request(bytes("r" + i)));
        }
        eventually().until(() -> first.heldIds().size() == 2);

        first.closeConnections();

        for (int i = 0; i < responses.size(); i++) {
            assertThat(text(valueOf(responses.get(i)))).isEqualTo("r" + (i + 1));
        }
        assertThat(text(valueOf(client.request(bytes("r5"))))).isEqualTo("r5");
        assertThat(first.requestIds).containsExactly(1L, 2L);
        assertThat(second.requestIds).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(client.instanceId()).isEqualTo("instance-2");
        assertThat(outstanding(client)).isZero();
    }

    @Test
    void retriesGoInTheOrderOfFirstSendsAndBeforeNewerRequests() {
        first.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder().retryBackoff(Duration.ofMillis(300), Duration.ofMillis(300)));
        List<CompletableFuture<byte[]>> responses = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            responses.add(client.request(bytes("r" + i)));
        }
        eventually().until(() -> first.heldIds().size() == 3);

        first.fail(2, ErrorCode.INSTANCE_UNAVAILABLE);
        first.fail(1, ErrorCode.INSTANCE_UNAVAILABLE);
        // Both errors were read once request 1 left the flight (they came in this order on one connection).
        eventually().until(() -> client.inFlight() == 1 || first.requestIds.size() > 3);
        responses.add(client.request(bytes("r4")));

        eventually().until(() -> {
            first.answerAll();
            return responses.stream().allMatch(CompletableFuture::isDone);
        });
        for (int i = 0; i < responses.size(); i++) {
            assertThat(text(valueOf(responses.get(i)))).isEqualTo("r" + (i + 1));
        }
        assertThat(first.requestIds).containsExactly(1L, 2L, 3L, 1L, 2L, 4L);
        assertThat(outstanding(client)).isZero();
    }

    @Test
    void retriedRequestsStayWithinTheInFlightAndPendingBounds() {
        first.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder().maxInFlight(1).maxPending(1)
                .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(100)));
        CompletableFuture<byte[]> retried = client.request(bytes("r1"));
        CompletableFuture<byte[]> queued = client.request(bytes("r2"));
        assertThat(failureOf(client.request(bytes("r3"))).code()).isEqualTo(ErrorCode.OVERLOADED);
        eventually().until(() -> first.heldIds().contains(1L));

        first.fail(1, ErrorCode.INSTANCE_UNAVAILABLE);

        assertThat(failureOf(client.request(bytes("r4"))).code()).as("the retry still counts")
                .isEqualTo(ErrorCode.OVERLOADED);
        eventually().until(() -> first.heldIds().contains(1L));
        assertThat(client.inFlight()).isEqualTo(1);
        assertThat(first.requestIds).containsExactly(1L, 1L);
        first.answer(1);
        assertThat(text(valueOf(retried))).isEqualTo("r1");
        eventually().until(() -> first.heldIds().contains(2L));
        first.answer(2);
        assertThat(text(valueOf(queued))).isEqualTo("r2");
        assertThat(first.requestIds).containsExactly(1L, 1L, 2L);
        assertThat(client.inFlight()).isZero();
        assertThat(outstanding(client)).isZero();
    }

    @Test
    void retriesStopAtTheDeadlineWithTimeoutCausedByTheRetriableError() {
        first.answers = ScriptedGateway.Answers.FAIL;
        first.failWith = ErrorCode.INSTANCE_UNAVAILABLE;
        ReploidClient client = connected(builder());

        ReploidException error = failureOf(client.request(bytes("never"), Duration.ofSeconds(1)));

        assertThat(error.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(error.getCause()).isInstanceOf(ReploidException.class);
        assertThat(((ReploidException) error.getCause()).code()).isEqualTo(ErrorCode.INSTANCE_UNAVAILABLE);
        assertThat(error.getMessage()).contains("request 1").contains("INSTANCE_UNAVAILABLE");
        assertThat(first.requestIds).isNotEmpty().allMatch(id -> id == 1L);
        assertThat(outstanding(client)).isZero();

        first.answers = ScriptedGateway.Answers.ECHO;
        assertThat(text(valueOf(client.request(bytes("next"))))).isEqualTo("next");
        List<Long> ids = List.copyOf(first.requestIds);
        assertThat(ids.get(ids.size() - 1)).as("nothing of request 1 after it timed out").isEqualTo(2L);
        assertThat(count(ids, 2)).isEqualTo(1);
    }

    @Test
    void timeoutOfARetriedRequestInFlightIsCausedByTheLastRetriableError() {
        first.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder());
        CompletableFuture<byte[]> response = client.request(bytes("slow"), Duration.ofSeconds(2));
        eventually().until(() -> first.heldIds().contains(1L));

        first.fail(1, ErrorCode.OVERLOADED);
        eventually().until(() -> first.heldIds().contains(1L));
        first.fail(1, ErrorCode.SHUTTING_DOWN);
        eventually().until(() -> first.heldIds().contains(1L)); // the third send stays unanswered

        ReploidException error = failureOf(response);
        assertThat(error.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(((ReploidException) error.getCause()).code()).isEqualTo(ErrorCode.SHUTTING_DOWN);
        assertThat(error.getMessage()).contains("sent 3 times");
        assertThat(first.requestIds).containsExactly(1L, 1L, 1L);
        assertThat(client.inFlight()).isZero();
        assertThat(outstanding(client)).isZero();
    }

    @Test
    void withoutRetriesRetriableErrorsFailTheRequest() {
        ReploidClient client = connected(builder().retries(false));
        first.failNext(ErrorCode.INSTANCE_UNAVAILABLE);

        ReploidException error = failureOf(client.request(bytes("once")));

        assertThat(error.code()).isEqualTo(ErrorCode.INSTANCE_UNAVAILABLE);
        assertThat(error.retriable()).isTrue();
        assertThat(text(valueOf(client.request(bytes("next"))))).isEqualTo("next");
        assertThat(first.requestIds).containsExactly(1L, 2L);
        assertThat(outstanding(client)).isZero();
    }

    @Test
    void closeDuringARetryBackoffFailsTheRequestWithClosed() {
        first.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder().requestTimeout(Duration.ofMinutes(1)).retryBackoff(LONG, LONG));
        CompletableFuture<byte[]> response = client.request(bytes("waits"));
        eventually().until(() -> first.heldIds().contains(1L));
        first.fail(1, ErrorCode.INSTANCE_UNAVAILABLE);
        eventually().until(() -> client.inFlight() == 0);

        client.close();

        ReploidException error = failureOf(response);
        assertThat(error.code()).isEqualTo(ErrorCode.CLOSED);
        assertThat(outstanding(client)).isZero();
        assertThat(((Session) client).eventLoop().isTerminated()).isTrue();
        assertThat(first.requestIds).containsExactly(1L);
    }

    @Test
    void cancellingDuringARetryBackoffGivesTheRequestUp() {
        first.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder().requestTimeout(Duration.ofMinutes(1)).retryBackoff(LONG, LONG));
        CompletableFuture<byte[]> response = client.request(bytes("given up"));
        eventually().until(() -> first.heldIds().contains(1L));
        first.fail(1, ErrorCode.INSTANCE_UNAVAILABLE);
        eventually().until(() -> client.inFlight() == 0);

        response.cancel(false);

        eventually().until(() -> outstanding(client) == 0);
        first.answers = ScriptedGateway.Answers.ECHO;
        // Were request 1 still waiting for its retry, request 2 would wait behind it.
        assertThat(text(valueOf(client.request(bytes("next"))))).isEqualTo("next");
        assertThat(first.requestIds).containsExactly(1L, 2L);
    }

    @Test
    void sessionReplacedDuringARetryBackoffFailsTheRequest() {
        first.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder().requestTimeout(Duration.ofMinutes(1)).retryBackoff(LONG, LONG));
        CompletableFuture<byte[]> response = client.request(bytes("waits"));
        eventually().until(() -> first.heldIds().contains(1L));
        first.fail(1, ErrorCode.INSTANCE_UNAVAILABLE);
        eventually().until(() -> client.inFlight() == 0);

        first.sendAndClose(new Frame.Error(0, ErrorCode.SESSION_REPLACED, "a newer connection said hello"));

        assertThat(failureOf(response).code()).isEqualTo(ErrorCode.SESSION_REPLACED);
        eventually().until(() -> client.state() == ReploidClient.State.CLOSED);
        assertThat(outstanding(client)).isZero();
    }

    @Test
    void aRequestBackingOffWaitsThroughALostConnectionAndGoesFirstOnTheNextOne() {
        first.answers = ScriptedGateway.Answers.HOLD;
        ReploidClient client = connected(builder().retryBackoff(Duration.ofMillis(300), Duration.ofMillis(300)));
        CompletableFuture<byte[]> backingOff = client.request(bytes("r1"));
        CompletableFuture<byte[]> inFlight = client.request(bytes("r2"));
        eventually().until(() -> first.heldIds().size() == 2);
        first.fail(1, ErrorCode.INSTANCE_UNAVAILABLE);
        eventually().until(() -> client.inFlight() == 1 || first.requestIds.size() > 2);

        first.closeConnections();
        CompletableFuture<byte[]> newer = client.request(bytes("r3"));

        assertThat(text(valueOf(backingOff))).isEqualTo("r1");
        assertThat(text(valueOf(inFlight))).isEqualTo("r2");
        assertThat(text(valueOf(newer))).isEqualTo("r3");
        assertThat(first.requestIds.subList(0, 2)).containsExactly(1L, 2L);
        assertThat(second.requestIds).containsExactly(1L, 2L, 3L);
        assertThat(outstanding(client)).isZero();
    }
}
