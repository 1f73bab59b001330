package io.reploid.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** {@link StateCodec#json}: Jackson, thread-safe. */
final class JsonStateCodec<S> implements StateCodec<S> {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final Class<S> type;

    JsonStateCodec(Class<S> type) {
        this.type = type;
    }

    @Override
    public byte[] encode(S state) throws IOException {
        return MAPPER.writeValueAsBytes(state);
    }

    @Override
    public S decode(byte[] bytes) throws IOException {
        return MAPPER.readValue(bytes, type);
    }

    @Override
    public String toString() {
        return "json(" + type.getName() + ")";
    }
}
