package io.kardia.kubeapi.generator;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a class file without loading it: for each method, the string constants its code loads
 * ({@code ldc}/{@code ldc_w}), in order. The generated {@code *Api} classes of the Kubernetes Java
 * client load their REST path and HTTP method this way, so no class (and none of the client's own
 * dependencies) needs to be on the class path.
 */
final class ClassFileStrings {
    private static final int LDC = 0x12;
    private static final int LDC_W = 0x13;

    private ClassFileStrings() {
    }

    /** Method name to the string constants its code loads. */
    static Map<String, List<String>> byMethod(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] stringRef = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // 8-byte constants take two slots
                }
                case 7, 16, 19, 20 -> in.readUnsignedShort();
                case 8 -> stringRef[i] = in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        in.readUnsignedShort(); // access flags
        in.readUnsignedShort(); // this
        in.readUnsignedShort(); // super
        in.skipBytes(2 * in.readUnsignedShort()); // interfaces
        int fields = in.readUnsignedShort();
        for (int i = 0; i < fields; i++) {
            in.skipBytes(6);
            skipAttributes(in);
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        int methods = in.readUnsignedShort();
        for (int i = 0; i < methods; i++) {
            in.readUnsignedShort();
            String name = utf8[in.readUnsignedShort()];
            in.readUnsignedShort();
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                String attribute = utf8[in.readUnsignedShort()];
                int length = in.readInt();
                byte[] body = in.readNBytes(length);
                if ("Code".equals(attribute)) {
                    out.computeIfAbsent(name, n -> new ArrayList<>()).addAll(strings(body, utf8, stringRef));
                }
            }
        }
        return out;
    }

    /**
     * String constants loaded by the code of one Code attribute. Scanning bytes for the two load
     * opcodes may meet them inside another instruction's operand; such a hit must also point at a
     * string constant, and the callers only keep REST paths and HTTP method names.
     */
    private static List<String> strings(byte[] code, String[] utf8, int[] stringRef) {
        int codeLength = ((code[4] & 0xff) << 24) | ((code[5] & 0xff) << 16) | ((code[6] & 0xff) << 8) | (code[7] & 0xff);
        List<String> out = new ArrayList<>();
        for (int pc = 8; pc < 8 + codeLength - 1; pc++) {
            int op = code[pc] & 0xff;
            int index = -1;
            if (op == LDC) {
                index = code[pc + 1] & 0xff;
            } else if (op == LDC_W && pc + 2 < 8 + codeLength) {
                index = ((code[pc + 1] & 0xff) << 8) | (code[pc + 2] & 0xff);
            }
            if (index > 0 && index < stringRef.length && stringRef[index] != 0) {
                out.add(utf8[stringRef[index]]);
            }
        }
        return out;
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attributes = in.readUnsignedShort();
        for (int a = 0; a < attributes; a++) {
            in.readUnsignedShort();
            in.skipBytes(in.readInt());
        }
    }
}
