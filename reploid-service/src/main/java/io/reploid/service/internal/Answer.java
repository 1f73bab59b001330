package io.reploid.service.internal;

import static java.util.Objects.requireNonNull;

import io.reploid.ErrorCode;

/**
 * What a request was answered with: response bytes, or an error code and message. Kept in a client's
 * {@link RecentAnswers} so that a retried request gets the same answer without running again.
 *
 * <p>Immutable and thread-safe; {@code response} must not be modified.
 *
 * @param response the response bytes, or {@code null} for an error
 * @param code     the error code, or {@code null} for a response
 * @param message  the error message, or {@code null} for a response
 */
record Answer(byte[] response, ErrorCode code, String message) {

    static Answer response(byte[] response) {
        return new Answer(response == null ? new byte[0] : response, null, null);
    }

    static Answer error(ErrorCode code, String message) {
        return new Answer(null, requireNonNull(code, "code"), message == null ? "" : message);
    }

    boolean isError() {
        return code != null;
    }

    @Override
    public String toString() {
        return isError() ? "Answer{" + code + ": " + message + "}" : "Answer{" + response.length + " bytes}";
    }
}
