package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Canonical forms from apimachinery's quantity_test.go. */
class QuantityTest {

    @ParameterizedTest
    @CsvSource({
        "0, 0", "0n, 0", "0Mi, 0", "-0, 0", "100m, 100m", "1.5, 1500m", "0.1, 100m", "1, 1", "1000, 1k",
        "1500, 1500", "1500000, 1500k", "2e3, 2e3", "1.5e3, 1500", "1e-3, 1e-3", "1E6, 1e6", "500Ki, 500Ki",
        "1Gi, 1Gi", "1024Mi, 1Gi", "1536Mi, 1536Mi", "0.5Gi, 512Mi", "1.5Ki, 1536", "512, 512", "1Ki, 1Ki",
        "1023, 1023", "0.5Ki, 512", "1.1Ki, 1126400m", "10G, 10G", "1M, 1M", "5k, 5k", "12Mi, 12Mi", "-1Gi, -1Gi",
        "+7, 7", "1.0, 1", ".5, 500m", "5., 5", "1n, 1n", "1.0000000001, 1000000001n", "100u, 100u", "1000m, 1",
        "0.001, 1m", "1E, 1E", "2Ei, 2Ei", "3P, 3P", "8Ti, 8Ti", "100000000000000000000, 100E",
        "0.0000000001, 1n", "-0.0000000001, -1n",
    })
    void canonicalForms(String in, String canonical) {
        Quantity q = Quantity.parse(in);
        assertThat(q.toString()).isEqualTo(canonical);
        assertThat(Quantity.parse(canonical)).as("canonical form re-parses to the same value").isEqualTo(q);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1.1.1", "1 Gi", "Gi", "1GiB", "1K", "1KI", "1e", "1e1.5", "1ee3", "--1", "1i",
        "1e+", "abc", ".", "+", "1Mb", "1 ", "e3", "1e99999999999"})
    void rejectsBadSyntax(String in) {
        assertThatThrownBy(() -> Quantity.parse(in)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid quantity \"" + in + "\"");
    }

    @Test
    void comparesAndComputesExactly() {
        assertThat(Quantity.parse("1Gi")).isEqualTo(Quantity.parse("1073741824"))
                .hasSameHashCodeAs(Quantity.parse("1073741824"));
        assertThat(Quantity.parse("1G")).isLessThan(Quantity.parse("1Gi"));
        assertThat(Quantity.parse("999m")).isLessThan(Quantity.parse("1"));
        assertThat(Quantity.parse("100m").add(Quantity.parse("0.2")).toString()).isEqualTo("300m");
        assertThat(Quantity.parse("1Gi").subtract(Quantity.parse("512Mi")).toString()).isEqualTo("512Mi");
        assertThat(Quantity.ZERO.add(Quantity.parse("1Ki")).format()).isEqualTo(Quantity.Format.BINARY_SI);
        assertThat(Quantity.parse("1").subtract(Quantity.parse("1500m")).toString()).isEqualTo("-500m");
        assertThat(Quantity.parse("0.1").add(Quantity.parse("0.2"))).isEqualTo(Quantity.parse("300m"));
        assertThat(Quantity.parse("100m").milliValue()).isEqualTo(100);
        assertThat(Quantity.parse("1.5").longValue()).isEqualTo(2);
        assertThat(Quantity.parse("1n").milliValue()).isEqualTo(1);
        assertThat(Quantity.ofMillis(250).toString()).isEqualTo("250m");
        assertThat(Quantity.ofBytes(1L << 30).toString()).isEqualTo("1Gi");
        assertThat(Quantity.parse("1.5Gi").value()).isEqualByComparingTo(new BigDecimal("1610612736"));
    }

    @Test
    void jsonIsAStringAndNumbersAreAccepted() {
        ResourceRequirements r = Json.fromString("{\"requests\":{\"cpu\":0.5,\"memory\":\"128Mi\",\"pods\":110}}",
                ResourceRequirements.class);
        assertThat(r.requests()).containsEntry("cpu", Quantity.parse("500m")).containsEntry("pods", Quantity.of(110));
        assertThat(Json.toString(r)).isEqualTo("{\"requests\":{\"cpu\":\"500m\",\"memory\":\"128Mi\",\"pods\":\"110\"}}");
        assertThatThrownBy(() -> Json.fromString("{\"requests\":{\"cpu\":\"lots\"}}", ResourceRequirements.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("invalid quantity \"lots\"");
        assertThat(Json.fromString("{\"requests\":{\"cpu\":\" 1 \"}}", ResourceRequirements.class).requests())
                .isEqualTo(Map.of("cpu", Quantity.of(1)));
    }
}
