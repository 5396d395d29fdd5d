package io.kardia.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectMetaJsonTest {

    @Test
    void unknownFieldsSurviveRoundTrip() {
        String in = """
                {"name":"a","namespace":"ns","labels":{"x":"1"},
                 "managedFields":[{"manager":"kubectl","fieldsV1":{"f:a":{}}}],
                 "ownerReferences":[{"apiVersion":"v1","kind":"K","name":"o","uid":"u","futureField":7}],
                 "creationTimestamp":"2024-05-01T10:00:00Z"}""";
        ObjectMeta meta = Json.fromString(in, ObjectMeta.class);
        assertThat(meta.extra()).containsKey("managedFields");
        assertThat(meta.ownerReferences().get(0).extra()).containsEntry("futureField", 7);
        assertThat(meta.creationTimestamp()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));

        ObjectMeta changed = meta.toBuilder().label("y", "2").build();
        String out = Json.toString(changed);
        assertThat(out).contains("\"managedFields\":[{\"manager\":\"kubectl\"")
                .contains("\"futureField\":7")
                .contains("\"creationTimestamp\":\"2024-05-01T10:00:00Z\"")
                .doesNotContain("\"extra\"")
                .doesNotContain("finalizers");
        assertThat(Json.fromString(out, ObjectMeta.class)).isEqualTo(changed);
    }

    @Test
    void collectionsAreImmutableAllTheWayDown() {
        ObjectMeta meta = Json.fromString("{\"name\":\"a\",\"labels\":{\"x\":\"1\"},\"weird\":{\"l\":[{\"k\":1}]}}",
                ObjectMeta.class);
        assertThatThrownBy(() -> meta.labels().put("y", "2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> meta.finalizers().add("f")).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> weird = (Map<String, Object>) meta.extra().get("weird");
        assertThatThrownBy(() -> weird.put("z", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) weird.get("l");
        assertThatThrownBy(() -> list.add(1)).isInstanceOf(UnsupportedOperationException.class);
    }
}
