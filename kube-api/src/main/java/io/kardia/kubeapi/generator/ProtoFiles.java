package io.kardia.kubeapi.generator;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The {@code generated.proto} files of one Kubernetes release, from the descriptors embedded in
 * client-java-proto's outer classes ({@code io.kubernetes.client.proto.V1Apps} describes
 * {@code k8s.io/api/apps/v1/generated.proto}).
 */
final class ProtoFiles {
    static final String PROTO_PACKAGE = "io/kubernetes/client/proto/";

    private ProtoFiles() {
    }

    /** Every file, each after the files it imports. */
    static List<FileDescriptor> read(JarFile jar, ClassLoader loader) throws IOException, ReflectiveOperationException {
        Map<String, FileDescriptor> ordered = new LinkedHashMap<>();
        List<String> classes = new ArrayList<>();
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            if (name.startsWith(PROTO_PACKAGE) && name.endsWith(".class") && name.indexOf('$') < 0
                    && name.indexOf('/', PROTO_PACKAGE.length()) < 0) {
                classes.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
            }
        }
        classes.sort(null);
        for (String c : classes) {
            FileDescriptor file = (FileDescriptor) Class.forName(c, true, loader).getMethod("getDescriptor").invoke(null);
            add(file, ordered);
        }
        return List.copyOf(ordered.values());
    }

    private static void add(FileDescriptor file, Map<String, FileDescriptor> ordered) {
        if (ordered.containsKey(file.getName())) {
            return;
        }
        for (FileDescriptor dependency : file.getDependencies()) {
            add(dependency, ordered);
        }
        ordered.put(file.getName(), file);
    }

    static FileDescriptorSet toSet(List<FileDescriptor> files) {
        FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
        files.forEach(f -> set.addFile(f.toProto()));
        return set.build();
    }
}
