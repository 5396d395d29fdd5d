package io.kardia.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FramesTest {

    @Test
    void putAndDeleteRecordsRoundTrip() {
        JournalRecord put = JournalRecord.put(42, "deployments.apps", "ns-ü/name", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        JournalRecord emptyValue = JournalRecord.put(43, "pods", "default/p", new byte[0]);
        JournalRecord delete = JournalRecord.delete(44, "pods", "default/p");

        for (JournalRecord record : new JournalRecord[] {put, emptyValue, delete}) {
            byte[] frame = Frames.encode(record);
            assertThat(Frames.validate(frame, 0, frame.length)).isEqualTo(frame.length);
            assertThat(Frames.decode(frame, 0)).isEqualTo(record);
        }
        assertThat(Frames.decode(Frames.encode(delete), 0).value()).isNull();
    }

    @Test
    void everyFlippedByteIsDetected() {
        byte[] frame = Frames.encode(JournalRecord.put(7, "pods", "default/p", "{\"spec\":{}}".getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < frame.length; i++) {
            byte[] damaged = frame.clone();
            damaged[i] ^= 0x10;
            assertThat(Frames.validate(damaged, 0, damaged.length)).as("flipped byte %d", i).isNegative();
        }
    }

    @Test
    void everyTruncationIsDetected() {
        byte[] frame = Frames.encode(JournalRecord.put(7, "pods", "default/p", new byte[100]));
        for (int available = 0; available < frame.length; available++) {
            assertThat(Frames.validate(frame, 0, available)).isEqualTo(Frames.TRUNCATED);
        }
    }

    @Test
    void recordsRejectBadInput() {
        assertThatThrownBy(() -> JournalRecord.put(0, "pods", "k", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new JournalRecord(1, JournalRecord.Op.PUT, "pods", "k", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Frames.encode(JournalRecord.put(1, "pods", "k".repeat(70_000), new byte[0])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    }
}
