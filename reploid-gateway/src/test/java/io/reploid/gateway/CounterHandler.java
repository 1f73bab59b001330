package io.reploid.gateway;

import io.reploid.service.ClientSession;
import io.reploid.service.ServiceHandler;
import io.reploid.state.StateCodec;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test service: per-client counter. Requests are text: {@code incr} answers {@code instance:value},
 * {@code whoami} answers the instance id, {@code push:N} pushes N messages then answers {@code pushed}.
 * Records the largest number of concurrent calls per client.
 */
final class CounterHandler implements ServiceHandler<CounterHandler.Counter> {
    /** The per-client state; public for the JSON codec. */
    public static final class Counter {
        public long value;
    }

    final String instanceId;
    final AtomicInteger handled = new AtomicInteger();
    final ConcurrentHashMap<String, AtomicInteger> running = new ConcurrentHashMap<>();
    final AtomicInteger maxConcurrentPerClient = new AtomicInteger();
    final AtomicInteger eventLoopCalls = new AtomicInteger();

    CounterHandler(String instanceId) {
        this.instanceId = instanceId;
    }

    @Override
    public StateCodec<Counter> stateCodec() {
        return StateCodec.json(Counter.class);
    }

    @Override
    public Counter newState(ClientSession<Counter> session) {
        return new Counter();
    }

    @Override
    public byte[] onRequest(ClientSession<Counter> session, byte[] request) throws Exception {
        if (Thread.currentThread() instanceof io.netty.util.concurrent.FastThreadLocalThread
                || Thread.currentThread().getName().contains("eventloop")) {
            eventLoopCalls.incrementAndGet();
        }
        AtomicInteger r = running.computeIfAbsent(session.clientId(), k -> new AtomicInteger());
        int now = r.incrementAndGet();
        maxConcurrentPerClient.accumulateAndGet(now, Math::max);
        try {
            handled.incrementAndGet();
            String op = new String(request, StandardCharsets.UTF_8);
            String answer;
            if (op.equals("incr")) {
                answer = instanceId + ":" + (++session.state().value);
            } else if (op.equals("get")) {
                answer = instanceId + ":" + session.state().value;
            } else if (op.equals("whoami")) {
                answer = instanceId;
            } else if (op.startsWith("push:")) {
                int n = Integer.parseInt(op.substring(5));
                for (int i = 1; i <= n; i++) {
                    session.push(("push-" + i).getBytes(StandardCharsets.UTF_8));
                }
                answer = "pushed";
            } else if (op.startsWith("echo:")) {
                answer = op.substring(5);
            } else {
                throw new IllegalArgumentException("unknown op '" + op + "'");
            }
            return answer.getBytes(StandardCharsets.UTF_8);
        } finally {
            r.decrementAndGet();
        }
    }
}
