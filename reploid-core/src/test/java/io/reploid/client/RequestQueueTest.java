package io.reploid.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestQueueTest {
    private final RequestQueue queue = new RequestQueue(2);

    private static Call call(long id) {
        return new Call(null, id, new byte[0], 0, 1); // never cancelled, so no session needed
    }

    @Test
    void sendsInArrivalOrderUpToMaxInFlight() {
        for (long id = 1; id <= 4; id++) {
            queue.add(call(id));
        }

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
    void removesWaitingAndSentCallsById() {
        for (long id = 1; id <= 3; id++) {
            queue.add(call(id));
        }
        queue.nextToSend();

        assertThat(queue.remove(3).id).isEqualTo(3);
        assertThat(queue.remove(1).id).isEqualTo(1);
        assertThat(queue.remove(1)).isNull();
        assertThat(queue.answered(3)).as("a waiting call is not answerable").isNull();
        assertThat(queue.takeAll()).extracting(c -> c.id).containsExactly(2L);
        assertThat(queue.inFlight() + queue.waiting()).isZero();
    }

    @Test
    void takeSentLeavesWaitingCalls() {
        for (long id = 1; id <= 3; id++) {
            queue.add(call(id));
        }
        queue.nextToSend();
        queue.nextToSend();

        assertThat(queue.takeSent()).extracting(c -> c.id).containsExactly(1L, 2L);
        assertThat(queue.waiting()).isEqualTo(1);
        assertThat(queue.inFlight()).isZero();
    }
}
