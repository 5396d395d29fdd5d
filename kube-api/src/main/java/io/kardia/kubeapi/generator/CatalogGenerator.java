package io.kardia.kubeapi.generator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * Build-time generator of kube-api's data (run by the module's pom, never shipped): reads the
 * official Kubernetes Java client's published artifacts of one release and writes
 * {@code kubernetes.desc} (a protobuf FileDescriptorSet), {@code resources.json} (the resources)
 * and {@code types.json} (the structural schema of every message).
 *
 * <p>Arguments: output directory, Kubernetes release (e.g. 1.35), a description of the sources.
 */
public final class CatalogGenerator {
    private CatalogGenerator() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: CatalogGenerator <output dir> <kubernetes release> <sources>");
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<FileDescriptor> files;
        try (JarFile proto = jarOf(loader, ProtoFiles.PROTO_PACKAGE + "V1.class")) {
            files = ProtoFiles.read(proto, loader);
        }
        List<RestPaths.Operation> operations;
        Map<String, Set<String>> models;
        try (JarFile api = jarOf(loader, RestPaths.API_PACKAGE + "CoreV1Api.class")) {
            operations = RestPaths.read(api);
            models = ModelFields.read(api);
        }
        try (OutputStream o = Files.newOutputStream(out.resolve("kubernetes.desc"))) {
            ProtoFiles.toSet(files).writeTo(o);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode resources = json.createObjectNode();
        resources.put("kubernetesVersion", args[1]);
        resources.put("source", args[2]);
        ArrayNode list = ResourceList.build(operations, files);
        resources.set("resources", list);
        json.writeValue(out.resolve("resources.json").toFile(), resources);
        ObjectNode types = json.createObjectNode();
        types.put("kubernetesVersion", args[1]);
        ProtoMarkers.All markers;
        try (JarFile protoSources = jarOf(loader, ProtoMarkers.SOURCES_PACKAGE + "V1.java")) {
            markers = ProtoMarkers.read(protoSources);
        }
        if (markers.field("k8s.io.api.core.v1.PodSpec", "containers").all("listMapKey").isEmpty()
                || markers.type("k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector").one("structType") == null) {
            throw new IllegalStateException("no +listMapKey on PodSpec.containers or +structType on LabelSelector in "
                    + "client-java-proto's sources: their javadoc changed shape; see io.kardia.kubeapi.generator.ProtoMarkers");
        }
        types.set("types", TypeSchemas.all(files, models, markers));
        json.writeValue(out.resolve("types.json").toFile(), types);
        Map<String, ObjectNode> modelDocs;
        try (JarFile sources = jarOf(loader, ModelFields.MODEL_PACKAGE + "V1Pod.java")) {
            modelDocs = ModelDocs.read(sources);
        }
        ObjectNode docs = json.createObjectNode();
        docs.put("kubernetesVersion", args[1]);
        ObjectNode byType = docs.putObject("types");
        for (FileDescriptor file : files) {
            for (com.google.protobuf.Descriptors.Descriptor message : file.getMessageTypes()) {
                String model = ModelFields.modelOf(file.getPackage(), message.getName(), modelDocs.keySet());
                if (model != null) {
                    byType.set(message.getFullName(), modelDocs.get(model));
                }
            }
        }
        json.writeValue(out.resolve("descriptions.json").toFile(), docs);
        if (list.size() < 50) {
            throw new IllegalStateException("only " + list.size() + " resources found in " + args[2]
                    + ": the client's generated code changed shape; see io.kardia.kubeapi.generator.RestPaths");
        }
    }

    private static JarFile jarOf(ClassLoader loader, String resource) throws IOException {
        URL url = loader.getResource(resource);
        if (url == null || !(url.openConnection() instanceof JarURLConnection jar)) {
            throw new IOException(resource + " is not on the generator's class path in a jar");
        }
        jar.setUseCaches(false);
        return new JarFile(jar.getJarFileURL().getPath());
    }
}
