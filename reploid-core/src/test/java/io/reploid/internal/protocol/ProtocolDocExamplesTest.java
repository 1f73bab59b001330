package io.reploid.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ReferenceCountUtil;
import io.reploid.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Checks {@code docs/protocol.md} against the code: every worked example is decoded with {@link FrameCodec}
 * and must have the documented field values, re-encode to the same bytes and have the documented
 * breakdown; the frame type and error code tables must match {@link FrameType}, the field layouts and
 * {@link ErrorCode}. When an example is wrong, the failure shows the block as it should read.
 */
class ProtocolDocExamplesTest {
    private static List<String> doc;

    @BeforeAll
    static void readDoc() throws IOException {
        doc = Files.readAllLines(protocolDoc(), StandardCharsets.UTF_8);
    }

    /** {@code docs/protocol.md}, found from the working directory (the module's, or the repository's) upwards. */
    static Path protocolDoc() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("docs").resolve("protocol.md");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no docs/protocol.md above " + System.getProperty("user.dir"));
    }

    @TestFactory
    List<DynamicTest> everyExampleDecodesToItsFieldsAndReencodesToItsBytes() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DocExample example : DocExample.parse(doc)) {
            tests.add(DynamicTest.dynamicTest("line " + example.line() + ": " + example.frameLine(), () -> check(example)));
        }
        return tests;
    }

    private static void check(DocExample example) {
        byte[] wire = example.bytes();
        String expectedBlock = String.join("\n", DocExample.render(example.frameLine(), wire));
        assertThat(example.dump()).as("hex dump at line %d", example.line()).isEqualTo(DocExample.dump(wire));
        assertThat(normalize(example.breakdown()))
                .as("breakdown at line %d; the block should read:%n%s", example.line(), expectedBlock)
                .isEqualTo(normalize(WireLayout.render(WireLayout.rows(wire))));
        try (CodecChannel ch = new CodecChannel()) {
            Frame decoded = ch.decode(wire);
            try {
                assertThat(FrameText.describe(decoded)).as("fields of the example at line %d", example.line())
                        .isEqualTo(example.frameLine());
                assertThat(ch.encode(ReferenceCountUtil.retain(decoded))).as("re-encoded").isEqualTo(wire);
            } finally {
                ReferenceCountUtil.release(decoded);
            }
        }
    }

    @Test
    void everyFrameTypeHasAnExample() {
        List<DocExample> examples = DocExample.parse(doc);
        Set<FrameType> covered = EnumSet.noneOf(FrameType.class);
        for (DocExample e : examples) {
            covered.add(FrameType.valueOf(e.frameLine().split(" ", 2)[0]));
        }
        assertThat(covered).containsExactlyInAnyOrder(FrameType.values());
    }

    private static final Pattern TYPE_ROW = Pattern.compile("^\\| `0x([0-9A-F]{2})` \\| (\\w+) \\| ([^|]+) \\| (.+) \\|$");
    private static final Pattern FIELD = Pattern.compile("`(u8|u16|u32|i32|i64|f64|str|id|map|bytes) (\\w+)`");

    @Test
    void theFrameTypeTableMatchesTheCode() {
        Set<FrameType> seen = EnumSet.noneOf(FrameType.class);
        for (String line : doc) {
            Matcher m = TYPE_ROW.matcher(line);
            if (!m.matches()) {
                continue;
            }
            FrameType type = FrameType.valueOf(m.group(2));
            seen.add(type);
            assertThat(Integer.parseInt(m.group(1), 16)).as("code of %s", type).isEqualTo(type.code());
            String direction = m.group(3).trim();
            FrameType.Side side = direction.startsWith("either") ? FrameType.Side.BOTH
                    : direction.contains("client") ? FrameType.Side.CLIENT
                    : direction.startsWith("peer") ? FrameType.Side.PEER : FrameType.Side.SERVICE;
            assertThat(side).as("direction of %s", type).isEqualTo(type.side());
            List<String> fields = new ArrayList<>();
            Matcher f = FIELD.matcher(m.group(4));
            while (f.find()) {
                fields.add(f.group(1) + " " + f.group(2));
            }
            assertThat(fields).as("body of %s", type).isEqualTo(WireLayout.declaredFields(type));
        }
        assertThat(seen).containsExactlyInAnyOrder(FrameType.values());
    }

    private static final Pattern CODE_ROW = Pattern.compile("^\\| (\\d+) \\| ([A-Z_]+) \\| (yes|no) \\| .+ \\|$");

    @Test
    void theErrorCodeTableMatchesTheCode() {
        Set<ErrorCode> seen = EnumSet.noneOf(ErrorCode.class);
        for (String line : doc) {
            Matcher m = CODE_ROW.matcher(line);
            if (m.matches()) {
                ErrorCode code = ErrorCode.valueOf(m.group(2));
                seen.add(code);
                assertThat(Integer.parseInt(m.group(1))).as("value of %s", code).isEqualTo(code.code());
                assertThat(m.group(3).equals("yes")).as("retriable %s", code).isEqualTo(code.retriable());
            }
        }
        assertThat(seen).containsExactlyInAnyOrder(ErrorCode.values());
    }

    @Test
    void theDocumentedLimitsAreTheCodesLimits() {
        String text = String.join("\n", doc);
        assertThat(text).contains("(at most " + Protocol.MAX_MAP_ENTRIES + ")");
        assertThat(text).contains("1 to " + Protocol.MAX_ID_BYTES + " bytes");
        assertThat(text).contains("`i32 count` (0.." + Protocol.MAX_ANNOUNCE_ENTRIES + ")");
        assertThat(text).contains("a MEMBERS `count` outside 0.." + Protocol.MAX_MEMBERS);
        assertThat(text).contains("a GATEWAYS `count` outside 0.." + Protocol.MAX_MEMBERS);
        assertThat(text).contains("PIN_SYNC `count` outside 0.." + Protocol.MAX_ANNOUNCE_ENTRIES);
        assertThat(text).contains("default 1 MiB = 1,048,576");
        assertThat(Protocol.DEFAULT_MAX_FRAME_SIZE).isEqualTo(1_048_576);
        assertThat(text).contains(String.format("`0x%08X`, \"RPLD\"", Protocol.MAGIC));
    }

    private static List<String> normalize(List<String> lines) {
        return lines.stream().map(l -> l.trim().replaceAll("\\s+", " ")).toList();
    }
}
