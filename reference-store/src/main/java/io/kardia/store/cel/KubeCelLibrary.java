package io.kardia.store.cel;

import com.google.common.collect.ImmutableMap;
import com.google.common.net.InetAddresses;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelEvaluationExceptionBuilder;
import dev.cel.runtime.CelFunctionBinding;
import io.kardia.core.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes' own CEL libraries (k8s.io/apiserver/pkg/cel/library) as operators use them, for
 * cel-java: lists ({@code isSorted}, {@code sum}, {@code min}, {@code max}, {@code indexOf},
 * {@code lastIndexOf}), regex ({@code find}, {@code findAll}, RE2 semantics through re2j), URLs,
 * quantities and IP addresses / CIDRs. Each function is a declaration for the checker and a
 * binding for the runtime; errors are worded as kube's.
 */
final class KubeCelLibrary {
    static final OpaqueType QUANTITY = OpaqueType.create("kubernetes.Quantity");
    static final OpaqueType URL = OpaqueType.create("kubernetes.URL");
    static final OpaqueType IP = OpaqueType.create("net.IP");
    static final OpaqueType CIDR = OpaqueType.create("net.CIDR");
    private static final TypeParamType T = TypeParamType.create("T");

    private KubeCelLibrary() {
    }

    /** A parsed URL ({@code url('https://example.com:80/')}). */
    record UrlValue(URI uri) {
    }

    /** An IP address ({@code ip('10.0.0.1')}). */
    record IpValue(InetAddress address) {
        @Override
        public String toString() {
            return InetAddresses.toAddrString(address);
        }
    }

    /** A CIDR ({@code cidr('10.0.0.0/8')}): its address as written and its prefix length. */
    record CidrValue(InetAddress address, int prefix) {
        InetAddress masked() {
            byte[] b = address.getAddress();
            for (int i = 0; i < b.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                b[i] &= (byte) (0xFF << (8 - keep));
            }
            try {
                return InetAddress.getByAddress(b);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        boolean contains(InetAddress ip) {
            if (ip.getAddress().length != address.getAddress().length) {
                return false;
            }
            return new CidrValue(ip, prefix).masked().equals(masked());
        }

        @Override
        public String toString() {
            return InetAddresses.toAddrString(address) + "/" + prefix;
        }
    }

    static List<CelFunctionDecl> declarations() {
        CelType listT = ListType.create(T);
        CelType listInt = ListType.create(SimpleType.INT);
        CelType listDouble = ListType.create(SimpleType.DOUBLE);
        CelType listString = ListType.create(SimpleType.STRING);
        List<CelFunctionDecl> d = new ArrayList<>();
        // lists
        d.add(fn("isSorted", member("list_is_sorted", SimpleType.BOOL, listT)));
        d.add(fn("sum", member("list_int_sum", SimpleType.INT, listInt), member("list_double_sum", SimpleType.DOUBLE, listDouble)));
        d.add(fn("min", member("list_min", T, listT)));
        d.add(fn("max", member("list_max", T, listT)));
        d.add(fn("indexOf", member("list_index_of", SimpleType.INT, listT, T)));
        d.add(fn("lastIndexOf", member("list_last_index_of", SimpleType.INT, listT, T)));
        // regex
        d.add(fn("find", member("string_find_string", SimpleType.STRING, SimpleType.STRING, SimpleType.STRING)));
        d.add(fn("findAll", member("string_find_all_string", listString, SimpleType.STRING, SimpleType.STRING),
                member("string_find_all_string_int", listString, SimpleType.STRING, SimpleType.STRING, SimpleType.INT)));
        // url
        d.add(fn("url", global("string_to_url", URL, SimpleType.STRING)));
        d.add(fn("isURL", global("is_url_string", SimpleType.BOOL, SimpleType.STRING)));
        d.add(fn("getScheme", member("url_get_scheme", SimpleType.STRING, URL)));
        d.add(fn("getHost", member("url_get_host", SimpleType.STRING, URL)));
        d.add(fn("getHostname", member("url_get_hostname", SimpleType.STRING, URL)));
        d.add(fn("getPort", member("url_get_port", SimpleType.STRING, URL)));
        d.add(fn("getEscapedPath", member("url_get_escaped_path", SimpleType.STRING, URL)));
        d.add(fn("getQuery", member("url_get_query", MapType.create(SimpleType.STRING, listString), URL)));
        // quantity
        d.add(fn("quantity", global("string_to_quantity", QUANTITY, SimpleType.STRING)));
        d.add(fn("isQuantity", global("is_quantity_string", SimpleType.BOOL, SimpleType.STRING)));
        d.add(fn("sign", member("quantity_sign", SimpleType.INT, QUANTITY)));
        d.add(fn("isInteger", member("quantity_is_integer", SimpleType.BOOL, QUANTITY)));
        d.add(fn("asInteger", member("quantity_as_integer", SimpleType.INT, QUANTITY)));
        d.add(fn("asApproximateFloat", member("quantity_as_float", SimpleType.DOUBLE, QUANTITY)));
        d.add(fn("add", member("quantity_add", QUANTITY, QUANTITY, QUANTITY), member("quantity_add_int", QUANTITY, QUANTITY, SimpleType.INT)));
        d.add(fn("sub", member("quantity_sub", QUANTITY, QUANTITY, QUANTITY), member("quantity_sub_int", QUANTITY, QUANTITY, SimpleType.INT)));
        d.add(fn("isGreaterThan", member("quantity_is_greater_than", SimpleType.BOOL, QUANTITY, QUANTITY)));
        d.add(fn("isLessThan", member("quantity_is_less_than", SimpleType.BOOL, QUANTITY, QUANTITY)));
        d.add(fn("compareTo", member("quantity_compare_to", SimpleType.INT, QUANTITY, QUANTITY)));
        // ip / cidr
        d.add(fn("ip", global("string_to_ip", IP, SimpleType.STRING), member("cidr_ip", IP, CIDR)));
        d.add(fn("isIP", global("is_ip", SimpleType.BOOL, SimpleType.STRING)));
        d.add(fn("family", member("ip_family", SimpleType.INT, IP)));
        d.add(fn("isUnspecified", member("ip_is_unspecified", SimpleType.BOOL, IP)));
        d.add(fn("isLoopback", member("ip_is_loopback", SimpleType.BOOL, IP)));
        d.add(fn("isLinkLocalMulticast", member("ip_is_link_local_multicast", SimpleType.BOOL, IP)));
        d.add(fn("isLinkLocalUnicast", member("ip_is_link_local_unicast", SimpleType.BOOL, IP)));
        d.add(fn("isGlobalUnicast", member("ip_is_global_unicast", SimpleType.BOOL, IP)));
        d.add(fn("cidr", global("string_to_cidr", CIDR, SimpleType.STRING)));
        d.add(fn("isCIDR", global("is_cidr", SimpleType.BOOL, SimpleType.STRING)));
        d.add(fn("containsIP", member("cidr_contains_ip_ip", SimpleType.BOOL, CIDR, IP),
                member("cidr_contains_ip_string", SimpleType.BOOL, CIDR, SimpleType.STRING)));
        d.add(fn("containsCIDR", member("cidr_contains_cidr", SimpleType.BOOL, CIDR, CIDR),
                member("cidr_contains_cidr_string", SimpleType.BOOL, CIDR, SimpleType.STRING)));
        d.add(fn("masked", member("cidr_masked", CIDR, CIDR)));
        d.add(fn("prefixLength", member("cidr_prefix_length", SimpleType.INT, CIDR)));
        d.add(fn("string", global("ip_to_string", SimpleType.STRING, IP), global("cidr_to_string", SimpleType.STRING, CIDR),
                global("url_to_string", SimpleType.STRING, URL)));
        return d;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static List<CelFunctionBinding> bindings() {
        List<CelFunctionBinding> b = new ArrayList<>();
        // lists
        b.add(CelFunctionBinding.from("list_is_sorted", List.class, (List l) -> {
            for (int i = 1; i < l.size(); i++) {
                if (compare(l.get(i - 1), l.get(i)) > 0) {
                    return false;
                }
            }
            return true;
        }));
        b.add(CelFunctionBinding.from("list_int_sum", List.class, (List l) -> {
            long s = 0;
            for (Object o : l) {
                s = Math.addExact(s, (Long) o);
            }
            return s;
        }));
        b.add(CelFunctionBinding.from("list_double_sum", List.class, (List l) -> {
            double s = 0;
            for (Object o : l) {
                s += ((Number) o).doubleValue();
            }
            return s;
        }));
        b.add(CelFunctionBinding.from("list_min", List.class, (List l) -> extreme(l, -1, "min")));
        b.add(CelFunctionBinding.from("list_max", List.class, (List l) -> extreme(l, 1, "max")));
        b.add(CelFunctionBinding.from("list_index_of", List.class, Object.class, (List l, Object x) -> (long) indexOf(l, x)));
        b.add(CelFunctionBinding.from("list_last_index_of", List.class, Object.class, (List l, Object x) -> (long) lastIndexOf(l, x)));
        // regex
        b.add(CelFunctionBinding.from("string_find_string", String.class, String.class, (s, re) -> {
            Matcher m = regex(re).matcher(s);
            return m.find() ? m.group() : "";
        }));
        b.add(CelFunctionBinding.from("string_find_all_string", String.class, String.class, (s, re) -> findAll(s, re, -1)));
        b.add(CelFunctionBinding.from("string_find_all_string_int", List.of(String.class, String.class, Long.class),
                args -> findAll((String) args[0], (String) args[1], (Long) args[2])));
        // url
        b.add(CelFunctionBinding.from("string_to_url", String.class, s -> new UrlValue(parseUrl(s))));
        b.add(CelFunctionBinding.from("is_url_string", String.class, s -> {
            try {
                parseUrl(s);
                return true;
            } catch (CelEvaluationException e) {
                return false;
            }
        }));
        b.add(CelFunctionBinding.from("url_get_scheme", UrlValue.class, u -> Objects.toString(u.uri().getScheme(), "")));
        b.add(CelFunctionBinding.from("url_get_host", UrlValue.class, u -> {
            String host = Objects.toString(u.uri().getHost(), "");
            return u.uri().getPort() < 0 ? host : host + ":" + u.uri().getPort();
        }));
        b.add(CelFunctionBinding.from("url_get_hostname", UrlValue.class, u -> {
            String host = Objects.toString(u.uri().getHost(), "");
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        }));
        b.add(CelFunctionBinding.from("url_get_port", UrlValue.class, u -> u.uri().getPort() < 0 ? "" : Integer.toString(u.uri().getPort())));
        b.add(CelFunctionBinding.from("url_get_escaped_path", UrlValue.class, u -> Objects.toString(u.uri().getRawPath(), "")));
        b.add(CelFunctionBinding.from("url_get_query", UrlValue.class, u -> query(u.uri().getRawQuery())));
        b.add(CelFunctionBinding.from("url_to_string", UrlValue.class, u -> u.uri().toString()));
        // quantity
        b.add(CelFunctionBinding.from("string_to_quantity", String.class, KubeCelLibrary::parseQuantity));
        b.add(CelFunctionBinding.from("is_quantity_string", String.class, s -> {
            try {
                Quantity.parse(s);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }));
        b.add(CelFunctionBinding.from("quantity_sign", Quantity.class, q -> (long) q.signum()));
        b.add(CelFunctionBinding.from("quantity_is_integer", Quantity.class, KubeCelLibrary::fitsInteger));
        b.add(CelFunctionBinding.from("quantity_as_integer", Quantity.class, q -> {
            if (!fitsInteger(q)) {
                throw error("cannot convert value to integer");
            }
            return q.value().longValueExact();
        }));
        b.add(CelFunctionBinding.from("quantity_as_float", Quantity.class, q -> q.value().doubleValue()));
        b.add(CelFunctionBinding.from("quantity_add", Quantity.class, Quantity.class, Quantity::add));
        b.add(CelFunctionBinding.from("quantity_add_int", Quantity.class, Long.class, (q, i) -> q.add(Quantity.of(i))));
        b.add(CelFunctionBinding.from("quantity_sub", Quantity.class, Quantity.class, Quantity::subtract));
        b.add(CelFunctionBinding.from("quantity_sub_int", Quantity.class, Long.class, (q, i) -> q.subtract(Quantity.of(i))));
        b.add(CelFunctionBinding.from("quantity_is_greater_than", Quantity.class, Quantity.class, (x, y) -> x.compareTo(y) > 0));
        b.add(CelFunctionBinding.from("quantity_is_less_than", Quantity.class, Quantity.class, (x, y) -> x.compareTo(y) < 0));
        b.add(CelFunctionBinding.from("quantity_compare_to", Quantity.class, Quantity.class, (x, y) -> (long) Integer.signum(x.compareTo(y))));
        // ip / cidr
        b.add(CelFunctionBinding.from("string_to_ip", String.class, s -> new IpValue(parseIp(s))));
        b.add(CelFunctionBinding.from("is_ip", String.class, s -> isIp(s)));
        b.add(CelFunctionBinding.from("ip_family", IpValue.class, ip -> ip.address() instanceof Inet4Address ? 4L : 6L));
        b.add(CelFunctionBinding.from("ip_is_unspecified", IpValue.class, ip -> ip.address().isAnyLocalAddress()));
        b.add(CelFunctionBinding.from("ip_is_loopback", IpValue.class, ip -> ip.address().isLoopbackAddress()));
        b.add(CelFunctionBinding.from("ip_is_link_local_multicast", IpValue.class, ip -> ip.address().isMCLinkLocal()));
        b.add(CelFunctionBinding.from("ip_is_link_local_unicast", IpValue.class, ip -> ip.address().isLinkLocalAddress()));
        b.add(CelFunctionBinding.from("ip_is_global_unicast", IpValue.class, ip -> {
            InetAddress a = ip.address();
            boolean broadcast = a instanceof Inet4Address && a.getHostAddress().equals("255.255.255.255");
            return !a.isAnyLocalAddress() && !a.isLoopbackAddress() && !a.isMulticastAddress() && !a.isLinkLocalAddress() && !broadcast;
        }));
        b.add(CelFunctionBinding.from("ip_to_string", IpValue.class, IpValue::toString));
        b.add(CelFunctionBinding.from("string_to_cidr", String.class, KubeCelLibrary::parseCidr));
        b.add(CelFunctionBinding.from("is_cidr", String.class, s -> {
            try {
                parseCidr(s);
                return true;
            } catch (CelEvaluationException e) {
                return false;
            }
        }));
        b.add(CelFunctionBinding.from("cidr_ip", CidrValue.class, c -> new IpValue(c.address())));
        b.add(CelFunctionBinding.from("cidr_contains_ip_ip", CidrValue.class, IpValue.class, (c, ip) -> c.contains(ip.address())));
        b.add(CelFunctionBinding.from("cidr_contains_ip_string", CidrValue.class, String.class, (c, s) -> c.contains(parseIp(s))));
        b.add(CelFunctionBinding.from("cidr_contains_cidr", CidrValue.class, CidrValue.class, KubeCelLibrary::containsCidr));
        b.add(CelFunctionBinding.from("cidr_contains_cidr_string", CidrValue.class, String.class, (c, s) -> containsCidr(c, parseCidr(s))));
        b.add(CelFunctionBinding.from("cidr_masked", CidrValue.class, c -> new CidrValue(c.masked(), c.prefix())));
        b.add(CelFunctionBinding.from("cidr_prefix_length", CidrValue.class, c -> (long) c.prefix()));
        b.add(CelFunctionBinding.from("cidr_to_string", CidrValue.class, CidrValue::toString));
        return b;
    }

    private static CelFunctionDecl fn(String name, CelOverloadDecl... overloads) {
        return CelFunctionDecl.newFunctionDeclaration(name, overloads);
    }

    private static CelOverloadDecl member(String id, CelType result, CelType... args) {
        return CelOverloadDecl.newMemberOverload(id, result, args);
    }

    private static CelOverloadDecl global(String id, CelType result, CelType... args) {
        return CelOverloadDecl.newGlobalOverload(id, result, args);
    }

    static CelEvaluationException error(String message) {
        return CelEvaluationExceptionBuilder.newBuilder(message).build();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y && a.getClass() != b.getClass()) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return ((Comparable) a).compareTo(b);
    }

    private static Object extreme(List<?> l, int sign, String name) throws CelEvaluationException {
        if (l.isEmpty()) {
            throw error(name + " called on empty list");
        }
        Object best = l.get(0);
        for (Object o : l) {
            if (compare(o, best) * sign > 0) {
                best = o;
            }
        }
        return best;
    }

    private static int indexOf(List<?> l, Object x) {
        for (int i = 0; i < l.size(); i++) {
            if (Objects.equals(l.get(i), x)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<?> l, Object x) {
        for (int i = l.size() - 1; i >= 0; i--) {
            if (Objects.equals(l.get(i), x)) {
                return i;
            }
        }
        return -1;
    }

    private static Pattern regex(String re) throws CelEvaluationException {
        try {
            return Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw error("error parsing regexp: " + e.getMessage());
        }
    }

    private static List<String> findAll(String s, String re, long limit) throws CelEvaluationException {
        Matcher m = regex(re).matcher(s);
        List<String> out = new ArrayList<>();
        while ((limit < 0 || out.size() < limit) && m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static URI parseUrl(String s) throws CelEvaluationException {
        try {
            URI u = new URI(s);
            // As Go's url.ParseRequestURI: absolute URLs or absolute paths only.
            if (u.getScheme() == null && !s.startsWith("/")) {
                throw error("URL is invalid: " + s + " is not an absolute URI or path");
            }
            return u;
        } catch (URISyntaxException e) {
            throw error("URL parse error during conversion from string: " + e.getMessage());
        }
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return ImmutableMap.copyOf(out);
    }

    /**
     * Parsed quantities by text: the same few strings ({@code quantity('4Gi')}, a field's usual
     * values) are parsed on every write, and a parse is a few BigDecimal operations. Quantities are
     * immutable; the map is emptied when full, so hostile input cannot grow it.
     */
    private static final int QUANTITY_CACHE_SIZE = 1024;
    private static final Map<String, Quantity> QUANTITIES = new java.util.concurrent.ConcurrentHashMap<>();

    private static Quantity parseQuantity(String s) throws CelEvaluationException {
        Quantity cached = QUANTITIES.get(s);
        if (cached != null) {
            return cached;
        }
        try {
            Quantity q = Quantity.parse(s);
            if (s.length() <= 64) {
                if (QUANTITIES.size() >= QUANTITY_CACHE_SIZE) {
                    QUANTITIES.clear();
                }
                QUANTITIES.put(s, q);
            }
            return q;
        } catch (RuntimeException e) {
            throw error("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        }
    }

    private static boolean fitsInteger(Quantity q) {
        BigDecimal v = q.value();
        if (v.stripTrailingZeros().scale() > 0) {
            return false;
        }
        BigInteger i = v.setScale(0, RoundingMode.UNNECESSARY).toBigIntegerExact();
        return i.bitLength() < 64;
    }

    private static boolean isIp(String s) {
        // As kube's ip library: no zones, no IPv4-mapped IPv6 forms.
        return !s.contains("%") && InetAddresses.isInetAddress(s) && !(s.contains(":") && s.contains("."));
    }

    private static InetAddress parseIp(String s) throws CelEvaluationException {
        if (!isIp(s)) {
            throw error("IP Address \"" + s + "\" parse error during conversion from string: ParseAddr(\"" + s + "\"): unable to parse IP");
        }
        return InetAddresses.forString(s);
    }

    private static CidrValue parseCidr(String s) throws CelEvaluationException {
        int slash = s.indexOf('/');
        if (slash > 0 && isIp(s.substring(0, slash))) {
            InetAddress a = InetAddresses.forString(s.substring(0, slash));
            String p = s.substring(slash + 1);
            int max = a.getAddress().length * 8;
            if (!p.isEmpty() && p.chars().allMatch(Character::isDigit) && p.length() <= 3 && Integer.parseInt(p) <= max) {
                return new CidrValue(a, Integer.parseInt(p));
            }
        }
        throw error("network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(\""
                + s + "\"): invalid prefix");
    }

    private static boolean containsCidr(CidrValue outer, CidrValue inner) {
        return inner.prefix() >= outer.prefix() && outer.contains(inner.address());
    }
}
