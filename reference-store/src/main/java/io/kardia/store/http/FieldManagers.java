package io.kardia.store.http;

/** Field manager names as kube-apiserver derives them when a request does not name one. */
final class FieldManagers {
    /** kube-apiserver's FieldManagerMaxLength. */
    static final int MAX_LENGTH = 128;

    private FieldManagers() {
    }

    /**
     * The User-Agent's part before the first {@code /} ({@code kubectl/v1.35.0 (linux/amd64)} gives
     * {@code kubectl}), without unprintable characters, cut at 128 bytes; null without a User-Agent.
     */
    static String fromUserAgent(String userAgent) {
        if (userAgent == null || userAgent.isEmpty()) {
            return null;
        }
        int slash = userAgent.indexOf('/');
        String product = slash < 0 ? userAgent : userAgent.substring(0, slash);
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < product.length(); ) {
            int cp = product.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isISOControl(cp) || !Character.isDefined(cp)) {
                continue;
            }
            int len = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes + len > MAX_LENGTH) {
                break;
            }
            bytes += len;
            b.appendCodePoint(cp);
        }
        return b.toString();
    }
}
