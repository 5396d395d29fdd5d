package io.kardia.runtime.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import java.util.function.Function;

/**
 * Converts the objects of one custom kind between the versions its CRD serves, in a conversion
 * webhook (the CRD's {@code conversion.strategy: Webhook}). Throwing refuses the conversion; the
 * API server then fails the request with the message.
 */
@FunctionalInterface
public interface Converter {
    /**
     * {@code object}, in the version its {@code apiVersion} names, as {@code desiredApiVersion}
     * ({@code group/version}): a new tree with that apiVersion. Metadata other than labels and
     * annotations is restored by the API server whatever is returned.
     */
    ObjectNode convert(ObjectNode object, String desiredApiVersion);

    /**
     * A typed conversion between two versions of a kind, each a Java type: {@code aToB} and
     * {@code bToA} convert everything but apiVersion, which is set here.
     */
    static <A extends KubeObject, B extends KubeObject> Converter between(ResourceType<A> a, ResourceType<B> b,
                                                                         Function<A, B> aToB, Function<B, A> bToA) {
        return (object, desired) -> {
            String from = object.path("apiVersion").asText();
            ObjectNode out;
            if (from.equals(desired)) {
                out = object.deepCopy();
            } else if (from.equals(a.apiVersion()) && desired.equals(b.apiVersion())) {
                out = Json.toTree(aToB.apply(Json.fromTree(object, a.javaType())));
            } else if (from.equals(b.apiVersion()) && desired.equals(a.apiVersion())) {
                out = Json.toTree(bToA.apply(Json.fromTree(object, b.javaType())));
            } else {
                throw new IllegalArgumentException("no conversion of " + a.kind() + " from " + from + " to " + desired);
            }
            out.put("apiVersion", desired);
            return out;
        };
    }
}
