package io.kardia.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Name and label syntax checks with kube-apiserver's rules and messages (apimachinery's
 * {@code validation.IsQualifiedName}, {@code IsValidLabelValue}, {@code IsDNS1123Subdomain},
 * {@code IsDNS1123Label}). Each check returns the list of problems; empty means valid.
 */
public final class Validation {
    public static final int QUALIFIED_NAME_MAX_LENGTH = 63;
    public static final int LABEL_VALUE_MAX_LENGTH = 63;
    public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
    public static final int DNS1123_LABEL_MAX_LENGTH = 63;

    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_LABEL = Pattern.compile("^" + DNS1123_LABEL_FMT + "$");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("^" + DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*$");

    private static final String QUALIFIED_NAME_ERR = "name part must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            + "regex used for validation is '" + QUALIFIED_NAME_FMT + "')";

    private Validation() {
    }

    /** A label or annotation key: {@code [prefix/]name}, prefix a DNS-1123 subdomain, name at most 63 characters. */
    public static List<String> qualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        if (value == null) {
            errs.add("name part must be non-empty");
            return errs;
        }
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                for (String e : dns1123Subdomain(prefix)) {
                    errs.add("prefix part " + e);
                }
            }
        } else {
            errs.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and "
                    + "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
                    + "validation is '" + QUALIFIED_NAME_FMT + "') with an optional DNS subdomain prefix and '/' "
                    + "(e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > QUALIFIED_NAME_MAX_LENGTH) {
            errs.add("name part must be no more than " + QUALIFIED_NAME_MAX_LENGTH + " characters");
        }
        if (!name.isEmpty() && !isQualifiedNamePart(name)) {
            errs.add(QUALIFIED_NAME_ERR);
        }
        return errs;
    }

    /**
     * Whether {@code s} matches {@link #QUALIFIED_NAME_FMT}: alphanumerics, '-', '_' and '.', starting
     * and ending alphanumeric. By hand, not by the regex: selectors and label validation check every
     * key and value of every write and every selector they build.
     */
    private static boolean isQualifiedNamePart(String s) {
        int n = s.length();
        if (n == 0 || !isAlphanumeric(s.charAt(0)) || !isAlphanumeric(s.charAt(n - 1))) {
            return false;
        }
        for (int i = 1; i < n - 1; i++) {
            char c = s.charAt(i);
            if (!isAlphanumeric(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** A label value: empty, or at most 63 alphanumerics, '-', '_', '.' starting and ending alphanumeric. */
    public static List<String> labelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value == null) {
            return errs;
        }
        if (value.length() > LABEL_VALUE_MAX_LENGTH) {
            errs.add("must be no more than " + LABEL_VALUE_MAX_LENGTH + " characters");
        }
        if (!value.isEmpty() && !isQualifiedNamePart(value)) {
            errs.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                    + "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
                    + "'12345', regex used for validation is '(" + QUALIFIED_NAME_FMT + ")?')");
        }
        return errs;
    }

    /** Most object names: lower-case alphanumerics, '-' and '.', at most 253 characters. */
    public static List<String> dns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value == null || value.isEmpty()) {
            errs.add("must be non-empty");
            return errs;
        }
        if (value.length() > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errs.add("must be no more than " + DNS1123_SUBDOMAIN_MAX_LENGTH + " characters");
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errs.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                    + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                    + "validation is '" + DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*')");
        }
        return errs;
    }

    /** Namespace names and some others: lower-case alphanumerics and '-', at most 63 characters. */
    public static List<String> dns1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value == null || value.isEmpty()) {
            errs.add("must be non-empty");
            return errs;
        }
        if (value.length() > DNS1123_LABEL_MAX_LENGTH) {
            errs.add("must be no more than " + DNS1123_LABEL_MAX_LENGTH + " characters");
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            errs.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
                    + "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                    + "validation is '" + DNS1123_LABEL_FMT + "')");
        }
        return errs;
    }

    /**
     * Checks a label map as kube-apiserver does for {@code metadata.labels}; {@code fieldPath} prefixes
     * each cause's field (e.g. {@code metadata.labels}).
     */
    public static List<Status.Cause> labels(Map<String, String> labels, String fieldPath) {
        List<Status.Cause> causes = new ArrayList<>();
        if (labels == null) {
            return causes;
        }
        labels.forEach((k, v) -> {
            for (String e : qualifiedName(k)) {
                causes.add(Status.Cause.invalid(fieldPath, "Invalid value: \"" + k + "\": " + e));
            }
            for (String e : labelValue(v)) {
                causes.add(Status.Cause.invalid(fieldPath, "Invalid value: \"" + v + "\": " + e));
            }
        });
        return causes;
    }

    /** Annotation keys must be qualified names; the total size limit (256 KiB) applies to keys and values. */
    public static List<Status.Cause> annotations(Map<String, String> annotations, String fieldPath) {
        List<Status.Cause> causes = new ArrayList<>();
        if (annotations == null) {
            return causes;
        }
        long size = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            for (String err : qualifiedName(e.getKey())) {
                causes.add(Status.Cause.invalid(fieldPath, "Invalid value: \"" + e.getKey() + "\": " + err));
            }
            size += e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length());
        }
        if (size > 256 * 1024) {
            causes.add(new Status.Cause("FieldValueTooLong", "Too long: must have at most 262144 bytes", fieldPath));
        }
        return causes;
    }
}
