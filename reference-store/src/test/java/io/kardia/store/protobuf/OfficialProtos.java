package io.kardia.store.protobuf;

import io.kardia.kubeapi.protobuf.ProtobufKinds;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Kubernetes descriptors and generated classes of the official Java client
 * ({@code io.kubernetes:client-java-proto}, test scope only): an encoder independent of ours.
 */
public final class OfficialProtos {
    /** The outer classes of client-java-proto 27, one per generated.proto. */
    private static final List<String> OUTER_CLASSES = List.of(
            "IntStr", "Meta", "Resource", "Runtime", "RuntimeSchema", "V1", "V1Admission", "V1Admissionregistration",
            "V1Apiextensions", "V1Apps", "V1Authentication", "V1Authorization", "V1Autoscaling", "V1Batch",
            "V1Certificates", "V1Coordination", "V1Discovery", "V1Events", "V1Flowcontrol", "V1Networking", "V1Node",
            "V1Policy", "V1Rbac", "V1Resource", "V1Scheduling", "V1Storage", "V1alpha1Apiserverinternal",
            "V1alpha1Imagepolicy", "V1alpha1Rbac", "V1alpha1Scheduling", "V1beta1Admission",
            "V1beta1Admissionregistration", "V1beta1Apiextensions", "V1beta1Apps", "V1beta1Authentication",
            "V1beta1Authorization", "V1beta1Batch", "V1beta1Certificates", "V1beta1Extensions", "V1beta1Policy",
            "V1beta1Rbac", "V1beta1Storage", "V1beta1Storagemigration", "V1beta2Apps", "V2Apidiscovery", "V2Autoscaling",
            "V2beta1Apidiscovery", "V2beta1Autoscaling", "V2beta2Autoscaling");
    private static final List<FileDescriptor> FILES = load();
    private static final ProtobufKinds KINDS = ProtobufKinds.of(FILES);

    private OfficialProtos() {
    }

    public static List<FileDescriptor> files() {
        return FILES;
    }

    public static ProtobufKinds kinds() {
        return KINDS;
    }

    /** The generated class's descriptor of the message with this full name. */
    public static Descriptor generated(String fullName) {
        for (FileDescriptor f : FILES) {
            if (fullName.startsWith(f.getPackage() + ".")) {
                Descriptor d = f.findMessageTypeByName(fullName.substring(f.getPackage().length() + 1));
                if (d != null) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("client-java-proto has no " + fullName);
    }

    /**
     * Every top-level kind and list these descriptors hold: messages of an API package whose
     * {@code metadata} is an ObjectMeta or ListMeta.
     */
    public static List<Descriptor> topLevelKinds(List<FileDescriptor> files) {
        List<Descriptor> out = new ArrayList<>();
        for (FileDescriptor f : files) {
            if (ProtobufKinds.apiVersionOfPackage(f.getPackage()) == null || f.getPackage().startsWith(ProtobufKinds.META_PACKAGE)) {
                continue;
            }
            for (Descriptor d : f.getMessageTypes()) {
                var meta = d.findFieldByName("metadata");
                if (meta != null && meta.getJavaType() == com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE
                        && (meta.getMessageType().getName().equals("ObjectMeta") || meta.getMessageType().getName().equals("ListMeta"))) {
                    out.add(d);
                }
            }
        }
        out.sort(Comparator.comparing(Descriptor::getFullName));
        return out;
    }

    /** A builder of the generated class for this message. */
    public static Message.Builder newBuilder(Descriptor d) {
        try {
            return (Message.Builder) generatedClass(d).getMethod("newBuilder").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses with the generated class for this message. */
    public static Message parse(Descriptor d, byte[] bytes) {
        try {
            return (Message) generatedClass(d).getMethod("parseFrom", byte[].class).invoke(null, (Object) bytes);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> generatedClass(Descriptor d) throws ClassNotFoundException {
        var options = d.getFile().getOptions();
        return Class.forName(options.getJavaPackage() + "." + options.getJavaOuterClassname() + "$" + d.getName());
    }

    private static List<FileDescriptor> load() {
        List<FileDescriptor> out = new ArrayList<>();
        for (String name : OUTER_CLASSES) {
            try {
                out.add((FileDescriptor) Class.forName("io.kubernetes.client.proto." + name).getMethod("getDescriptor").invoke(null));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("client-java-proto lacks " + name, e);
            }
        }
        return out;
    }
}
