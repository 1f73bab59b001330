package io.reploid.internal.protocol;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One worked example of {@code docs/protocol.md}: a fenced block with a {@code frame:} line (the frame in
 * {@link FrameText} form), a hex dump of the whole frame and its field-by-field breakdown
 * ({@link WireLayout}):
 *
 * <pre>
 * frame: PING nonce=42
 *
 * 0000  00 00 00 09 07 00 00 00 00 00 00 00 2a           ............*
 *
 * offset  bytes                    field = value
 *      0  00 00 00 09              length = 9
 *      4  07                       type = 0x07 (PING)
 *      5  00 00 00 00 00 00 00 2a  nonce = 42
 * </pre>
 *
 * @param frameLine the text after {@code frame: }
 * @param dump      the hex dump lines
 * @param breakdown the breakdown lines, header included
 * @param line      the line of the document where the block starts (1-based), for messages
 */
record DocExample(String frameLine, List<String> dump, List<String> breakdown, int line) {
    static final String FRAME_PREFIX = "frame: ";
    private static final Pattern DUMP_LINE = Pattern.compile("^([0-9a-f]{4})  (.{47})(?:  (.*))?$");

    /** The bytes of the hex dump. */
    byte[] bytes() {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < dump.size(); i++) {
            Matcher m = DUMP_LINE.matcher(padTo(dump.get(i), 6 + 47));
            if (!m.matches() || Integer.parseInt(m.group(1), 16) != i * 16) {
                throw new IllegalArgumentException("line " + (line + 2 + i) + ": not a dump line at offset "
                        + String.format("%04x", i * 16) + ": " + dump.get(i));
            }
            hex.append(m.group(2).replace(" ", ""));
        }
        return HexFormat.of().parseHex(hex.toString());
    }

    /** The block text for a frame; the inverse of {@link #parse}. */
    static List<String> render(String frameLine, byte[] wire) {
        List<String> lines = new ArrayList<>();
        lines.add(FRAME_PREFIX + frameLine);
        lines.add("");
        lines.addAll(dump(wire));
        lines.add("");
        lines.addAll(WireLayout.render(WireLayout.rows(wire)));
        return lines;
    }

    /** A hex dump: hex offset, 16 bytes a line, printable ASCII on the right. */
    static List<String> dump(byte[] wire) {
        List<String> lines = new ArrayList<>();
        for (int off = 0; off < wire.length; off += 16) {
            StringBuilder hex = new StringBuilder();
            StringBuilder ascii = new StringBuilder();
            for (int i = off; i < Math.min(wire.length, off + 16); i++) {
                hex.append(hex.length() == 0 ? "" : " ").append(String.format("%02x", wire[i] & 0xFF));
                ascii.append(wire[i] >= 0x20 && wire[i] < 0x7F ? (char) wire[i] : '.');
            }
            lines.add(String.format("%04x  %-47s  %s", off, hex, ascii).stripTrailing());
        }
        return lines;
    }

    /** Every fenced block of {@code markdown} whose first line starts with {@code frame: }. */
    static List<DocExample> parse(List<String> markdown) {
        List<DocExample> examples = new ArrayList<>();
        for (int i = 0; i < markdown.size(); i++) {
            if (!markdown.get(i).startsWith("```")) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < markdown.size() && !markdown.get(end).startsWith("```")) {
                end++;
            }
            List<String> block = markdown.subList(start, end);
            i = end;
            if (block.isEmpty() || !block.get(0).startsWith(FRAME_PREFIX)) {
                continue;
            }
            int blank1 = block.indexOf("");
            int blank2 = blank1 < 0 ? -1 : block.subList(blank1 + 1, block.size()).indexOf("");
            if (blank1 != 1 || blank2 < 1) {
                throw new IllegalArgumentException("line " + (start + 1) + ": an example is a frame: line, a blank line,"
                        + " the hex dump, a blank line and the breakdown");
            }
            examples.add(new DocExample(block.get(0).substring(FRAME_PREFIX.length()),
                    List.copyOf(block.subList(2, 2 + blank2)), List.copyOf(block.subList(3 + blank2, block.size())),
                    start + 1));
        }
        return examples;
    }

    private static String padTo(String s, int length) {
        return s.length() >= length ? s : s + " ".repeat(length - s.length());
    }
}
