package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The columns kube-apiserver's printers give the built-in kinds that neither {@link TableConverter}
 * nor {@link KindColumns} print ({@code kubectl get cm,secret,pv,pdb,roles,rolebindings,hpa...}),
 * after Kubernetes' {@code pkg/printers/internalversion}.
 * Printers are Go code in kube-apiserver, in no published artifact, so they are kept here by hand;
 * a kind with none prints NAME and AGE.
 */
final class PrinterColumns {
    private static final String NONE = "<none>";

    private PrinterColumns() {
    }

    /**
     * Every column of a kind ({@code group/plural}, {@code /services} for the core group), NAME
     * included, or null when it has no printer here. {@code age} prints a timestamp as an age.
     */
    static List<TableConverter.Column> of(String groupPlural, Function<String, String> age) {
        List<TableConverter.Column> c = new ArrayList<>();
        TableConverter.Column name = TableConverter.nameColumn(0, "");
        TableConverter.Column created = text("Age", 0, o -> age.apply(o.path("metadata").path("creationTimestamp").asText("")));
        switch (groupPlural) {
            case "/replicationcontrollers" -> {
                c.add(name);
                c.add(integer("Desired", o -> o.path("spec").path("replicas").asInt(1)));
                c.add(integer("Current", o -> o.path("status").path("replicas").asInt(0)));
                c.add(integer("Ready", o -> o.path("status").path("readyReplicas").asInt(0)));
                c.add(created);
                c.add(text("Containers", 1, o -> containers(o, "name")));
                c.add(text("Images", 1, o -> containers(o, "image")));
                c.add(text("Selector", 1, o -> orNone(labels(o.path("spec").path("selector")))));
            }
            case "/configmaps" -> {
                c.add(name);
                c.add(integer("Data", o -> o.path("data").size() + o.path("binaryData").size()));
                c.add(created);
            }
            case "/secrets" -> {
                c.add(name);
                c.add(text("Type", 0, o -> o.path("type").asText("Opaque")));
                c.add(integer("Data", o -> o.path("data").size()));
                c.add(created);
            }
            case "/endpoints" -> {
                c.add(name);
                c.add(text("Endpoints", 0, PrinterColumns::endpoints));
                c.add(created);
            }
            case "/persistentvolumes" -> {
                c.add(name);
                c.add(text("Capacity", 0, o -> o.path("spec").path("capacity").path("storage").asText("")));
                c.add(text("Access Modes", 0, o -> accessModes(o.path("spec").path("accessModes"))));
                c.add(text("Reclaim Policy", 0, o -> o.path("spec").path("persistentVolumeReclaimPolicy").asText("Retain")));
                c.add(text("Status", 0, o -> o.path("status").path("phase").asText("Pending")));
                c.add(text("Claim", 0, o -> o.path("spec").has("claimRef")
                        ? o.path("spec").path("claimRef").path("namespace").asText() + "/" + o.path("spec").path("claimRef").path("name").asText() : ""));
                c.add(text("StorageClass", 0, o -> o.path("spec").path("storageClassName").asText("")));
                c.add(text("VolumeAttributesClass", 0, o -> o.path("spec").has("volumeAttributesClassName")
                        ? o.path("spec").path("volumeAttributesClassName").asText() : "<unset>"));
                c.add(text("Reason", 0, o -> o.path("status").path("reason").asText("")));
                c.add(created);
                c.add(text("VolumeMode", 1, o -> o.path("spec").path("volumeMode").asText("Filesystem")));
            }
            case "networking.k8s.io/networkpolicies" -> {
                c.add(name);
                c.add(text("Pod-Selector", 0, o -> selector(o.path("spec").path("podSelector"))));
                c.add(created);
            }
            case "policy/poddisruptionbudgets" -> {
                c.add(name);
                c.add(text("Min Available", 0, o -> o.path("spec").has("minAvailable") ? o.path("spec").path("minAvailable").asText() : "N/A"));
                c.add(text("Max Unavailable", 0, o -> o.path("spec").has("maxUnavailable") ? o.path("spec").path("maxUnavailable").asText() : "N/A"));
                c.add(integer("Allowed Disruptions", o -> o.path("status").path("disruptionsAllowed").asInt(0)));
                c.add(created);
            }
            case "rbac.authorization.k8s.io/roles", "rbac.authorization.k8s.io/clusterroles" -> {
                c.add(name);
                c.add(text("Created At", 0, o -> o.path("metadata").path("creationTimestamp").asText("")));
            }
            case "rbac.authorization.k8s.io/rolebindings", "rbac.authorization.k8s.io/clusterrolebindings" -> {
                c.add(name);
                c.add(text("Role", 0, o -> o.path("roleRef").path("kind").asText() + "/" + o.path("roleRef").path("name").asText()));
                c.add(created);
                c.add(text("Users", 1, o -> subjects(o, "User")));
                c.add(text("Groups", 1, o -> subjects(o, "Group")));
                c.add(text("ServiceAccounts", 1, o -> subjects(o, "ServiceAccount")));
            }
            case "autoscaling/horizontalpodautoscalers" -> {
                c.add(name);
                c.add(text("Reference", 0, o -> o.path("spec").path("scaleTargetRef").path("kind").asText() + "/"
                        + o.path("spec").path("scaleTargetRef").path("name").asText()));
                c.add(text("Targets", 0, o -> o.path("spec").path("metrics").isEmpty() ? NONE : "<unknown>"));
                c.add(text("MinPods", 0, o -> String.valueOf(o.path("spec").path("minReplicas").asInt(1))));
                c.add(integer("MaxPods", o -> o.path("spec").path("maxReplicas").asInt(0)));
                c.add(integer("Replicas", o -> o.path("status").path("currentReplicas").asInt(0)));
                c.add(created);
            }
            case "coordination.k8s.io/leases" -> {
                c.add(name);
                c.add(text("Holder", 0, o -> o.path("spec").path("holderIdentity").asText("")));
                c.add(created);
            }
            case "storage.k8s.io/storageclasses" -> {
                c.add(text("Name", 0, o -> o.path("metadata").path("name").asText()
                        + ("true".equals(o.path("metadata").path("annotations").path("storageclass.kubernetes.io/is-default-class").asText())
                        ? " (default)" : "")));
                c.add(text("Provisioner", 0, o -> o.path("provisioner").asText()));
                c.add(text("ReclaimPolicy", 0, o -> o.path("reclaimPolicy").asText("Delete")));
                c.add(text("VolumeBindingMode", 0, o -> o.path("volumeBindingMode").asText("Immediate")));
                c.add(text("AllowVolumeExpansion", 0, o -> o.path("allowVolumeExpansion").asBoolean(false) ? "true" : "false"));
                c.add(created);
            }
            case "scheduling.k8s.io/priorityclasses" -> {
                c.add(name);
                c.add(integer("Value", o -> o.path("value").asInt(0)));
                c.add(text("Global-Default", 0, o -> o.path("globalDefault").asBoolean(false) ? "true" : "false"));
                c.add(created);
                c.add(text("PreemptionPolicy", 0, o -> o.path("preemptionPolicy").asText("PreemptLowerPriority")));
            }
            case "discovery.k8s.io/endpointslices" -> {
                c.add(name);
                c.add(text("AddressType", 0, o -> o.path("addressType").asText()));
                c.add(text("Ports", 0, o -> orUnset(names(o.path("ports"), "port"))));
                c.add(text("Endpoints", 0, o -> orUnset(endpointSliceAddresses(o))));
                c.add(created);
            }
            case "apps/controllerrevisions" -> {
                c.add(name);
                c.add(text("Controller", 0, PrinterColumns::controller));
                c.add(integer("Revision", o -> o.path("revision").asLong(0)));
                c.add(created);
            }
            default -> {
                return null;
            }
        }
        return c;
    }

    private static TableConverter.Column text(String name, int priority, Function<JsonNode, Object> cell) {
        return new TableConverter.Column(name, "string", "", priority, "", cell);
    }

    private static TableConverter.Column integer(String name, Function<JsonNode, Object> cell) {
        return new TableConverter.Column(name, "integer", "", 0, "", cell);
    }


    private static String containers(JsonNode o, String field) {
        return names(o.path("spec").path("template").path("spec").path("containers"), field);
    }

    private static String names(JsonNode list, String field) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(e.path(field).asText()));
        return String.join(",", out);
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }

    private static String orUnset(String s) {
        return s == null || s.isEmpty() ? "<unset>" : s;
    }

    /** A map of labels as {@code a=b,c=d}. */
    private static String labels(JsonNode map) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(e.getKey() + "=" + e.getValue().asText());
        }
        return String.join(",", out);
    }

    private static String selector(JsonNode labelSelector) {
        return ScaleSubresource.selectorString(labelSelector);
    }






    private static String endpoints(JsonNode ep) {
        List<String> out = new ArrayList<>();
        for (JsonNode subset : ep.path("subsets")) {
            for (JsonNode address : subset.path("addresses")) {
                if (subset.path("ports").isEmpty()) {
                    out.add(address.path("ip").asText());
                }
                for (JsonNode port : subset.path("ports")) {
                    out.add(address.path("ip").asText() + ":" + port.path("port").asText());
                }
            }
        }
        return out.isEmpty() ? NONE : String.join(",", out);
    }

    private static String endpointSliceAddresses(JsonNode slice) {
        List<String> out = new ArrayList<>();
        slice.path("endpoints").forEach(e -> e.path("addresses").forEach(a -> out.add(a.asText())));
        return String.join(",", out);
    }

    private static String accessModes(JsonNode modes) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : modes) {
            out.add(switch (m.asText()) {
                case "ReadWriteOnce" -> "RWO";
                case "ReadOnlyMany" -> "ROX";
                case "ReadWriteMany" -> "RWX";
                case "ReadWriteOncePod" -> "RWOP";
                default -> m.asText();
            });
        }
        return String.join(",", out);
    }



    private static String subjects(JsonNode binding, String kind) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : binding.path("subjects")) {
            if (s.path("kind").asText().equals(kind)) {
                out.add(kind.equals("ServiceAccount") ? s.path("namespace").asText() + "/" + s.path("name").asText() : s.path("name").asText());
            }
        }
        return String.join(", ", out);
    }



    private static String controller(JsonNode o) {
        for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false)) {
                String group = ref.path("apiVersion").asText();
                group = group.contains("/") ? group.substring(0, group.indexOf('/')) : "";
                return ref.path("kind").asText().toLowerCase(Locale.ROOT) + (group.isEmpty() ? "" : "." + group) + "/" + ref.path("name").asText();
            }
        }
        return NONE;
    }
}
