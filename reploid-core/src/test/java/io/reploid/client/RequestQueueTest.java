package io.reploid.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestQueueTest {
    private final RequestQueue queue = new RequestQueue(2);

    private static Call call(long id) {
        return new Call(null, id, new byte[0], 0, 1); // never cancelled, so no session needed
    }

    private List<Call> calls(int count) {
        List<Call> calls = new ArrayList<>();
        for (long id = 1; id <= count; id++) {
            Call call = call(id);
            calls.add(call);
            queue.add(call);
        }
        return calls;
    }

    @Test
    void sendsInArrivalOrderUpToMaxInFlight() {
        calls(4);

        assertThat(queue.nextToSend().id).isEqualTo(1);
        assertThat(queue.nextToSend().id).isEqualTo(2);
        assertThat(queue.nextToSend()).isNull();
        assertThat(queue.inFlight()).isEqualTo(2);
        assertThat(queue.waiting()).isEqualTo(2);

        assertThat(queue.answered(2).id).isEqualTo(2);
        assertThat(queue.answered(2)).as("answered twice").isNull();
        assertThat(queue.nextToSend().id).isEqualTo(3);
    }

    @Test
    void removesWaitingAndSentCalls() {
        List<Call> calls = calls(3);
        queue.nextToSend();

        assertThat(queue.remove(calls.get(2))).isTrue();
        assertThat(queue.remove(calls.get(0))).isTrue();
        assertThat(queue.remove(calls.get(0))).isFalse();
        assertThat(queue.answered(3)).as("a waiting call is not answerable").isNull();
        assertThat(queue.takeAll()).extracting(c -> c.id).containsExactly(2L);
        assertThat(queue.inFlight() + queue.waiting()).isZero();
    }

    @Test
    void takeSentLeavesWaitingCalls() {
        calls(3);
        queue.nextToSend();
        queue.nextToSend();

        assertThat(queue.takeSent()).extracting(c -> c.id).containsExactly(1L, 2L);
        assertThat(queue.waiting()).isEqualTo(1);
        assertThat(queue.inFlight()).isZero();
    }

    @Test
    void retriedCallsGoFirstInTheOrderOfTheirFirstSends() {
        calls(4);
        Call first = queue.nextToSend();
        Call second = queue.nextToSend();

        for (Call call : queue.takeSent()) {
            queue.retry(call, false);
        }

        assertThat(queue.retrying()).isEqualTo(2);
        assertThat(queue.nextToSend()).isSameAs(first);
        assertThat(queue.nextToSend()).isSameAs(second);
        assertThat(second.sends).isEqualTo(2);
        assertThat(queue.nextToSend()).isNull();
        queue.answered(1);
        assertThat(queue.nextToSend().id).isEqualTo(3);
    }

    @Test
    void aCallBackingOffHoldsBackLaterRetriesAndFirstSends() {
        RequestQueue wide = new RequestQueue(10);
        List<Call> calls = new ArrayList<>();
        for (long id = 1; id <= 4; id++) {
            Call call = call(id);
            calls.add(call);
            wide.add(call);
        }
        wide.nextToSend();
        wide.nextToSend();
        wide.nextToSend();
        Call first = wide.answered(1);
        Call second = wide.answered(2);

        wide.retry(second, false);
        wide.retry(first, true);

        assertThat(wide.nextToSend()).as("call 1 backs off: nothing may pass it").isNull();
        assertThat(wide.ready(calls.get(3))).as("not queued for a retry").isFalse();
        assertThat(wide.ready(first)).isTrue();
        assertThat(wide.nextToSend()).isSameAs(first);
        assertThat(wide.nextToSend()).isSameAs(second);
        assertThat(wide.nextToSend().id).isEqualTo(4);
        assertThat(wide.inFlight()).isEqualTo(4);
    }

    @Test
    void removesAndTakesCallsQueuedForARetry() {
        List<Call> calls = calls(3);
        queue.nextToSend();
        queue.nextToSend();
        for (Call call : queue.takeSent()) {
            queue.retry(call, true);
        }

        assertThat(queue.remove(calls.get(1))).isTrue();
        assertThat(queue.ready(calls.get(1))).isFalse();
        assertThat(queue.takeAll()).extracting(c -> c.id).containsExactly(1L, 3L);
        assertThat(queue.retrying() + queue.waiting() + queue.inFlight()).isZero();
    }
}
