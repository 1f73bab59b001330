package io.reploid.service.internal;

import io.reploid.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The layout of {@link io.reploid.state.StoredRecord#data()}: a client's encoded state and its recent
 * answers. Big-endian, format 1:
 *
 * <pre>
 * u8   format          1
 * i32  stateLength     -1: the client has no state yet (newState runs on its next call)
 * ...  state           stateLength bytes from the StateCodec
 * i32  answerCount     0 or more
 * answerCount x {
 *   i64  requestId
 *   i64  fingerprint   of the request payload (a reused id with another payload is a new request)
 *   u8   kind          0 response, 1 error
 *   kind 0: i32 length, then the response bytes
 *   kind 1: u16 error code (as on the wire), i32 length, then the message in UTF-8
 * }
 * </pre>
 *
 * Answers are listed oldest first. A decoder rejects an unknown format, a negative length other than the
 * state's -1, a length past the end, an unknown kind, bad UTF-8 and trailing bytes.
 *
 * <p>Immutable and thread-safe; the arrays must not be modified.
 *
 * @param state   the codec's bytes, or {@code null} when the client had no state
 * @param answers the recent answers, oldest first
 */
record ClientRecord(byte[] state, List<RecentAnswers.Entry> answers) {
    static final int FORMAT = 1;

    /** Lays out a record. */
    static byte[] encode(byte[] state, Collection<RecentAnswers.Entry> answers) {
        int size = 9 + (state == null ? 0 : state.length);
        for (RecentAnswers.Entry e : answers) {
            size += 21 + (e.answer().isError() ? 6 + e.answer().message().length() * 3 : e.answer().response().length);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            if (state == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(state.length);
                out.write(state);
            }
            out.writeInt(answers.size());
            for (RecentAnswers.Entry e : answers) {
                out.writeLong(e.requestId());
                out.writeLong(e.fingerprint());
                Answer a = e.answer();
                if (a.isError()) {
                    out.writeByte(1);
                    out.writeShort(a.code().code());
                    byte[] message = a.message().getBytes(StandardCharsets.UTF_8);
                    out.writeInt(message.length);
                    out.write(message);
                } else {
                    out.writeByte(0);
                    out.writeInt(a.response().length);
                    out.write(a.response());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a record.
     *
     * @throws IOException naming what is wrong when {@code data} is not a record of a known format
     */
    static ClientRecord decode(byte[] data) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(data);
        try {
            int format = in.get() & 0xFF;
            if (format != FORMAT) {
                throw new IOException("unknown record format " + format + " (expected: " + FORMAT + ")");
            }
            int stateLength = in.getInt();
            byte[] state = null;
            if (stateLength != -1) {
                state = bytes(in, stateLength, "state");
            }
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / 21) {
                throw new IOException("answer count " + count + " does not fit the " + in.remaining()
                        + " bytes left");
            }
            List<RecentAnswers.Entry> answers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long requestId = in.getLong();
                long fingerprint = in.getLong();
                int kind = in.get() & 0xFF;
                Answer answer = switch (kind) {
                    case 0 -> Answer.response(bytes(in, in.getInt(), "response"));
                    case 1 -> Answer.error(ErrorCode.of(in.getShort() & 0xFFFF), utf8(bytes(in, in.getInt(), "message")));
                    default -> throw new IOException("unknown answer kind " + kind + " of request " + requestId);
                };
                answers.add(new RecentAnswers.Entry(requestId, fingerprint, answer));
            }
            if (in.hasRemaining()) {
                throw new IOException(in.remaining() + " trailing bytes");
            }
            return new ClientRecord(state, answers);
        } catch (BufferUnderflowException e) {
            throw new IOException("record of " + data.length + " bytes ends early");
        }
    }

    private static byte[] bytes(ByteBuffer in, int length, String what) throws IOException {
        if (length < 0 || length > in.remaining()) {
            throw new IOException(what + " length " + length + " (expected: 0 to " + in.remaining() + ")");
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    private static String utf8(byte[] b) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("error message is not valid UTF-8");
        }
    }
}
