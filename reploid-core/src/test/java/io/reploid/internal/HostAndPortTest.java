package io.reploid.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostAndPortTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "localhost:7400      | localhost | 7400",
            "127.0.0.1:1         | 127.0.0.1 | 1",
            "  gateway:65535  \t | gateway   | 65535",
            "[::1]:7401          | ::1       | 7401",
            "[fe80::1%lo]:80     | fe80::1%lo | 80",
    })
    void parsesHostAndPort(String input, String host, int port) {
        InetSocketAddress a = HostAndPort.parse(input);
        assertThat(a.isUnresolved()).as("parsing does not resolve").isTrue();
        assertThat(a.getHostString()).isEqualTo(host);
        assertThat(a.getPort()).isEqualTo(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "localhost", "localhost:", ":7400", "[::1]"})
    void rejectsInputWithoutHostOrPort(String input) {
        assertThatThrownBy(() -> HostAndPort.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("address '" + input + "' ");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> HostAndPort.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address 'null' is not host:port");
    }

    @Test
    void saysWhatIsWrongWithThePort() {
        assertThatThrownBy(() -> HostAndPort.parse("host:http"))
                .hasMessage("address 'host:http' has a bad port");
        assertThatThrownBy(() -> HostAndPort.parse("host:99999999999"))
                .hasMessage("address 'host:99999999999' has a bad port");
        assertThatThrownBy(() -> HostAndPort.parse("host:0"))
                .hasMessage("address 'host:0' has port 0 (expected: 1 to 65535)");
        assertThatThrownBy(() -> HostAndPort.parse("host:65536"))
                .hasMessage("address 'host:65536' has port 65536 (expected: 1 to 65535)");
        assertThatThrownBy(() -> HostAndPort.parse("host:-1"))
                .hasMessage("address 'host:-1' has port -1 (expected: 1 to 65535)");
    }

    @Test
    void parsesCommaSeparatedListsSkippingBlankParts() {
        List<InetSocketAddress> list = HostAndPort.parseList("a:1, b:2 ,,[::1]:3,");
        assertThat(list).extracting(InetSocketAddress::getHostString).containsExactly("a", "b", "::1");
        assertThat(list).extracting(InetSocketAddress::getPort).containsExactly(1, 2, 3);
    }

    @Test
    void aListNeedsAtLeastOneAddressAndEveryPartMustParse() {
        for (String empty : new String[] {"", " , ,", null}) {
            assertThatThrownBy(() -> HostAndPort.parseList(empty))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no address in '" + empty + "' (expected: host:port[,host:port...])");
        }
        assertThatThrownBy(() -> HostAndPort.parseList("a:1,b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address 'b' is not host:port");
    }

    @Test
    void formatsWithoutResolvingAndBracketsIpv6() {
        assertThat(HostAndPort.format(InetSocketAddress.createUnresolved("gateway", 7400))).isEqualTo("gateway:7400");
        assertThat(HostAndPort.format(new InetSocketAddress("127.0.0.1", 7400))).isEqualTo("127.0.0.1:7400");
        assertThat(HostAndPort.format(InetSocketAddress.createUnresolved("::1", 7401))).isEqualTo("[::1]:7401");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway:7400", "127.0.0.1:1", "[::1]:65535", "[2001:db8::7]:443"})
    void formatUndoesParse(String address) {
        assertThat(HostAndPort.format(HostAndPort.parse(address))).isEqualTo(address);
    }
}
