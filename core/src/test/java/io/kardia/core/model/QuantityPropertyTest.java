package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The canonical string of any quantity parses back to the same value. */
class QuantityPropertyTest {

    @Property(tries = 500)
    void canonicalStringRoundTrips(@ForAll @LongRange(min = -1_000_000_000_000L, max = 1_000_000_000_000L) long unscaled,
                                   @ForAll @IntRange(min = -9, max = 9) int exponent,
                                   @ForAll Quantity.Format format) {
        Quantity q = Quantity.of(BigDecimal.valueOf(unscaled).scaleByPowerOfTen(exponent), format);
        Quantity back = Quantity.parse(q.toString());
        assertThat(back).isEqualTo(q);
        // a binary-format value printed without suffix re-parses as decimal (10000 -> 10k, as in
        // Kubernetes), so the string is a fixed point only from the first re-parse on
        assertThat(Quantity.parse(back.toString()).toString()).isEqualTo(back.toString());
        assertThat(q.add(q).subtract(q)).isEqualTo(q);
    }
}
