package io.kardia.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.model.ListMeta;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-pass decoder of the model records keeps Jackson's semantics for them. */
class ModelRecordDecodingTest {

    @Test
    void renamedFieldsUnknownFieldsAndNullsDecodeAsJacksonWould() {
        ListMeta meta = Json.fromString("{\"resourceVersion\":\"5\",\"continue\":\"tok\",\"remainingItemCount\":3}",
                ListMeta.class);
        assertThat(meta.continueToken()).isEqualTo("tok");
        assertThat(meta.resourceVersion()).isEqualTo("5");

        ObjectMeta m = Json.fromString("""
                {"name":"a","labels":null,"future":{"x":[1,null]},"nothing":null,"name":"b"}""", ObjectMeta.class);
        assertThat(m.name()).as("a repeated field: the last one wins").isEqualTo("b");
        assertThat(m.labels()).isEmpty();
        assertThat(m.extra()).containsKey("nothing").containsEntry("future", Map.of("x", java.util.Arrays.asList(1, null)));
        assertThat(m.extra().get("nothing")).isNull();
        assertThat(Json.toString(m)).contains("\"future\":{\"x\":[1,null]}").contains("\"nothing\":null");
    }

    @Test
    void emptyAndMissingObjectsGiveTheRecordsDefaults() {
        Pod p = Json.fromString("{}", Pod.class);
        assertThat(p.kind()).isEqualTo("Pod");
        assertThat(p.metadata()).isNotNull();
        assertThat(p.extra()).isEmpty();
    }

    @Test
    void badValuesAreTypedErrorsNamingThePath() {
        assertThatThrownBy(() -> Json.fromString("{\"metadata\":{\"generation\":\"many\"}}", Pod.class))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("at metadata.generation");
        assertThatThrownBy(() -> Json.fromString("{\"metadata\":7}", Pod.class))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("at metadata");
        assertThatThrownBy(() -> Json.fromString("{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"ports\":7}]}}", Pod.class))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("at spec.containers[1].ports");
        assertThatThrownBy(() -> Json.fromString("[1]", Pod.class)).isInstanceOf(CodecException.class);
    }
}
