package io.reploid.internal.protocol;

import io.reploid.ErrorCode;
import java.nio.charset.StandardCharsets;

/** Validation of client and instance ids. Stateless and thread-safe. */
public final class Ids {
    private Ids() {
    }

    /**
     * Checks an id: 1 to {@value Protocol#MAX_ID_BYTES} UTF-8 bytes, no control characters.
     *
     * @param what what the id names, for the message ("clientId")
     * @return the id
     * @throws ProtocolException with {@link ErrorCode#INVALID_ID} when the id is not acceptable
     */
    public static String check(String what, String id) {
        String problem = problem(id);
        if (problem != null) {
            throw new ProtocolException(ErrorCode.INVALID_ID, what + " " + problem);
        }
        return id;
    }

    /** Like {@link #check} but throws {@link IllegalArgumentException}, for builders. */
    public static String checkArgument(String what, String id) {
        String problem = problem(id);
        if (problem != null) {
            throw new IllegalArgumentException(what + " " + problem);
        }
        return id;
    }

    /** Why an id is not acceptable, or {@code null} when it is. */
    public static String problem(String id) {
        if (id == null) {
            return "is missing";
        }
        if (id.isEmpty()) {
            return "is empty (expected: 1 to " + Protocol.MAX_ID_BYTES + " UTF-8 bytes)";
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c)) {
                return "contains control character U+" + String.format("%04X", (int) c) + " at index " + i;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired surrogate at index " + i;
            }
        }
        int bytes = id.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Protocol.MAX_ID_BYTES) {
            return "is " + bytes + " bytes long (expected: at most " + Protocol.MAX_ID_BYTES + " UTF-8 bytes)";
        }
        return null;
    }
}
