package io.reploid.client;

/** Makes a client number its requests from 1, so tests can name request ids. */
final class TestIds {
    private TestIds() {
    }

    static ReploidClient.Builder firstIdOne(ReploidClient.Builder builder) {
        builder.firstRequestId = 1;
        return builder;
    }
}
