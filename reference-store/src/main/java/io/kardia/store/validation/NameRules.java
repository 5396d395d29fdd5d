package io.kardia.store.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Kubernetes' name, label and qualified-name syntax (apimachinery validation), with its messages. */
public final class NameRules {
    private static final String LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String SUBDOMAIN_FMT = LABEL_FMT + "(\\." + LABEL_FMT + ")*";
    private static final Pattern LABEL = Pattern.compile(LABEL_FMT);
    private static final Pattern SUBDOMAIN = Pattern.compile(SUBDOMAIN_FMT);
    private static final String QUALIFIED_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern QUALIFIED = Pattern.compile(QUALIFIED_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile("(" + QUALIFIED_FMT + ")?");

    public static final String SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    public static final String LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
            + "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private static final String QUALIFIED_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
            + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  "
            + "or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    private NameRules() {
    }

    /** Problems with a DNS-1123 subdomain (most object names); empty when valid. */
    public static List<String> dns1123Subdomain(String s) {
        List<String> errs = new ArrayList<>();
        if (s.length() > 253) {
            errs.add("must be no more than 253 characters");
        }
        if (!SUBDOMAIN.matcher(s).matches()) {
            errs.add(SUBDOMAIN_MSG);
        }
        return errs;
    }

    /** kube's IsValidPathSegmentName (RBAC object names): anything but "." and "..", without '/' or '%'. */
    public static List<String> pathSegment(String s) {
        if (s.equals(".") || s.equals("..")) {
            return List.of("may not be '" + s + "'");
        }
        List<String> errs = new ArrayList<>();
        for (String illegal : List.of("/", "%")) {
            if (s.contains(illegal)) {
                errs.add("may not contain '" + illegal + "'");
            }
        }
        return errs;
    }

    private static final Pattern DNS1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    public static final String DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
            + "start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
            + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    /** Problems with a DNS-1035 label (Service names, Service port names). */
    public static List<String> dns1035Label(String s) {
        List<String> errs = new ArrayList<>();
        if (s.length() > 63) {
            errs.add("must be no more than 63 characters");
        }
        if (!DNS1035.matcher(s).matches()) {
            errs.add(DNS1035_MSG);
        }
        return errs;
    }

    /** Problems with a DNS-1123 label (namespace names, container names). */
    public static List<String> dns1123Label(String s) {
        List<String> errs = new ArrayList<>();
        if (s.length() > 63) {
            errs.add("must be no more than 63 characters");
        }
        if (!LABEL.matcher(s).matches()) {
            errs.add(LABEL_MSG);
        }
        return errs;
    }

    /** Label and annotation keys: optional DNS subdomain prefix, '/', a 63-character name. */
    public static List<String> qualifiedName(String s) {
        List<String> errs = new ArrayList<>();
        String name = s;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            String prefix = s.substring(0, slash);
            name = s.substring(slash + 1);
            if (prefix.isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                for (String e : dns1123Subdomain(prefix)) {
                    errs.add("prefix part " + e);
                }
            }
            if (name.indexOf('/') >= 0) {
                errs.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start "
                        + "and end with an alphanumeric character with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
            }
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else {
            if (name.length() > 63) {
                errs.add("name part must be no more than 63 characters");
            }
            if (!QUALIFIED.matcher(name).matches()) {
                errs.add(QUALIFIED_MSG);
            }
        }
        return errs;
    }

    public static List<String> labelValue(String s) {
        List<String> errs = new ArrayList<>();
        if (s.length() > 63) {
            errs.add("must be no more than 63 characters");
        }
        if (!LABEL_VALUE.matcher(s).matches()) {
            errs.add(LABEL_VALUE_MSG);
        }
        return errs;
    }
}
