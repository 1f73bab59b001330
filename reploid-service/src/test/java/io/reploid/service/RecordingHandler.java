package io.reploid.service;

import io.netty.util.concurrent.FastThreadLocalThread;
import io.reploid.ErrorCode;
import io.reploid.ReploidException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A handler for tests. The state of a client is the list of requests it made. A request's text picks
 * what happens: {@code echo:x} answers {@code x}, {@code count} answers how many requests the client
 * made, {@code null} answers {@code null}, {@code fail} throws, {@code overloaded} throws a
 * ReploidException, {@code failAsync} fails the stage, {@code hold:name} answers when the test completes
 * {@link #held(String)}. Records every call in {@link #events} and the threads it ran on. Thread-safe.
 */
final class RecordingHandler implements ServiceHandler<List<String>> {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final Map<String, ClientSession<List<String>>> sessions = new ConcurrentHashMap<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();
    final Set<String> eventLoopThreads = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<byte[]>> held = new ConcurrentHashMap<>();
    volatile double gauge = 2.5;
    volatile boolean healthy = true;

    @Override
    public List<String> newState(ClientSession<List<String>> session) {
        record("newState:" + session.clientId());
        sessions.put(session.clientId(), session);
        return new CopyOnWriteArrayList<>();
    }

    @Override
    public CompletionStage<byte[]> onRequestAsync(ClientSession<List<String>> session, byte[] request) {
        String text = new String(request, StandardCharsets.UTF_8);
        record("request:" + session.clientId() + ":" + text);
        session.state().add(text);
        if (text.startsWith("hold:")) {
            return held(text.substring(5));
        }
        if (text.equals("failAsync")) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("async boom"));
        }
        return ServiceHandler.super.onRequestAsync(session, request);
    }

    @Override
    public byte[] onRequest(ClientSession<List<String>> session, byte[] request) {
        String text = new String(request, StandardCharsets.UTF_8);
        return switch (text.contains(":") ? text.substring(0, text.indexOf(':')) : text) {
            case "echo" -> bytes(text.substring(5));
            case "count" -> bytes(Integer.toString(session.state().size()));
            case "null" -> null;
            case "fail" -> throw new IllegalStateException("boom");
            case "overloaded" -> throw new ReploidException(ErrorCode.OVERLOADED, "too busy");
            default -> throw new IllegalArgumentException("unknown request " + text);
        };
    }

    @Override
    public void onAttach(ClientSession<List<String>> session) {
        record("attach:" + session.clientId());
    }

    @Override
    public void onDetach(ClientSession<List<String>> session) {
        record("detach:" + session.clientId());
    }

    @Override
    public double loadGauge() {
        record(null);
        return gauge;
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    /** The future a {@code hold:name} request answers with. */
    CompletableFuture<byte[]> held(String name) {
        return held.computeIfAbsent(name, n -> new CompletableFuture<>());
    }

    /** The next handler call recorded, waiting for it. */
    String nextEvent() {
        try {
            String e = events.poll(ScriptedGateway.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no handler call within " + ScriptedGateway.TIMEOUT_SECONDS + " s");
            }
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void record(String event) {
        Thread t = Thread.currentThread();
        threads.add(t.getName());
        if (t instanceof FastThreadLocalThread || t.getName().contains("-io-")) {
            eventLoopThreads.add(t.getName());
        }
        if (event != null) {
            events.add(event);
        }
    }
}
