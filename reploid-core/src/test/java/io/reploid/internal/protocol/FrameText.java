package io.reploid.internal.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.zip.CRC32;

/**
 * A canonical one-line text form of a frame, such as {@code REQUEST requestId=1 payload="ping"}: the
 * type name, then every field as {@code name=value} in wire order. Used to compare frames (payload
 * frames have no {@code equals}) and as the {@code frame:} line of the examples in {@code docs/protocol.md}.
 *
 * <p>Strings are double-quoted with {@code \"}, {@code \\} and {@code \}{@code uXXXX} escapes for
 * control characters; maps are {@code {"key"="value", ...}}; the entries of ANNOUNCE, MEMBERS, GATEWAYS
 * and PIN_SYNC are {@code [(clientId="a" epoch=1), ...]}; a flag is {@code true} or {@code false}
 * ({@code leader=true}); a LOAD's report is flattened into the frame's fields; a payload
 * is a quoted string when it is short printable UTF-8, {@code 0x...} hex when it is short, and
 * {@code <N bytes crc32=XXXXXXXX>} otherwise. Does not release the frame.
 */
final class FrameText {
    private static final int SHORT_PAYLOAD = 64;

    private FrameText() {
    }

    static String describe(Frame frame) {
        StringBuilder sb = new StringBuilder(frame.type().name());
        if (frame instanceof Record r) {
            appendComponents(sb, r, true);
        } else if (frame instanceof Frame.Request f) {
            field(sb, "requestId", f.requestId());
            field(sb, "payload", payload(f.payload()));
        } else if (frame instanceof Frame.Response f) {
            field(sb, "requestId", f.requestId());
            field(sb, "payload", payload(f.payload()));
        } else if (frame instanceof Frame.Push f) {
            field(sb, "payload", payload(f.payload()));
        } else if (frame instanceof Frame.ClientRequest f) {
            field(sb, "clientId", quote(f.clientId()));
            field(sb, "epoch", f.epoch());
            field(sb, "requestId", f.requestId());
            field(sb, "payload", payload(f.payload()));
        } else if (frame instanceof Frame.ClientResponse f) {
            field(sb, "clientId", quote(f.clientId()));
            field(sb, "epoch", f.epoch());
            field(sb, "requestId", f.requestId());
            field(sb, "payload", payload(f.payload()));
        } else if (frame instanceof Frame.ClientPush f) {
            field(sb, "clientId", quote(f.clientId()));
            field(sb, "epoch", f.epoch());
            field(sb, "payload", payload(f.payload()));
        } else if (frame instanceof Frame.Replicate f) {
            field(sb, "clientId", quote(f.clientId()));
            field(sb, "epoch", f.epoch());
            field(sb, "version", f.version());
            field(sb, "data", payload(f.payload()));
        } else {
            throw new IllegalArgumentException("unknown frame " + frame.getClass());
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(' ').append(name).append('=').append(value);
    }

    /** Appends {@code name=value} for every component; a nested record is flattened when {@code flatten}. */
    private static void appendComponents(StringBuilder sb, Record r, boolean flatten) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (flatten && v instanceof Record nested) {
                appendComponents(sb, nested, false);
            } else {
                field(sb, c.getName(), value(v));
            }
        }
    }

    private static String value(Object v) {
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof Map<?, ?> m) {
            StringJoiner j = new StringJoiner(", ", "{", "}");
            m.forEach((k, val) -> j.add(quote((String) k) + "=" + quote((String) val)));
            return j.toString();
        }
        if (v instanceof List<?> list) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (Object item : list) {
                StringBuilder sb = new StringBuilder();
                appendComponents(sb, (Record) item, false);
                j.add("(" + sb.substring(1) + ")");
            }
            return j.toString();
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        return String.valueOf(v);
    }

    static String payload(ByteBuf payload) {
        byte[] bytes = ByteBufUtil.getBytes(payload);
        if (bytes.length <= SHORT_PAYLOAD) {
            String text = printableUtf8(bytes);
            return text != null ? quote(text) : "0x" + ByteBufUtil.hexDump(bytes);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return String.format("<%d bytes crc32=%08x>", bytes.length, crc.getValue());
    }

    /** The text of {@code bytes} when they are valid UTF-8 without control characters, else {@code null}. */
    static String printableUtf8(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        return text.chars().anyMatch(Character::isISOControl) ? null : text;
    }

    /** A double-quoted, escaped form of {@code s}. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pairedSurrogate = Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1));
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (pairedSurrogate) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
