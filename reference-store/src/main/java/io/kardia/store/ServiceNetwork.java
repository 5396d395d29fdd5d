package io.kardia.store;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;

/**
 * Where Services get their addresses: the cluster IP range (an IPv4 CIDR, kube-apiserver's
 * {@code --service-cluster-ip-range}) and the node port range ({@code --service-node-port-range}).
 *
 * @param clusterIpRange a CIDR such as {@code 10.96.0.0/12}
 * @param nodePortMin    the lowest node port handed out
 * @param nodePortMax    the highest node port handed out
 */
public record ServiceNetwork(String clusterIpRange, int nodePortMin, int nodePortMax) {

    public static ServiceNetwork defaults() {
        return new ServiceNetwork("10.96.0.0/12", 30000, 32767);
    }

    public ServiceNetwork {
        String[] parts = clusterIpRange == null ? new String[0] : clusterIpRange.split("/", 2);
        if (parts.length != 2 || !InetAddresses.isInetAddress(parts[0])
                || !(InetAddresses.forString(parts[0]) instanceof java.net.Inet4Address)) {
            throw new IllegalArgumentException("the service cluster IP range must be an IPv4 CIDR such as 10.96.0.0/12, got "
                    + clusterIpRange);
        }
        int bits = parseBits(parts[1], clusterIpRange);
        if (bits < 8 || bits > 30) {
            throw new IllegalArgumentException("the service cluster IP range " + clusterIpRange
                    + " must have a prefix between /8 and /30");
        }
        if (nodePortMin < 1 || nodePortMax > 65535 || nodePortMin > nodePortMax) {
            throw new IllegalArgumentException("the node port range must lie within 1-65535, got " + nodePortMin + "-" + nodePortMax);
        }
    }

    private static int parseBits(String s, String range) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the service cluster IP range must be an IPv4 CIDR such as 10.96.0.0/12, got " + range);
        }
    }

    /** The network address of the range as a number. */
    long base() {
        long ip = InetAddresses.coerceToInteger(InetAddresses.forString(clusterIpRange.split("/")[0])) & 0xFFFFFFFFL;
        return ip & mask();
    }

    /** How many addresses the range holds (network and broadcast included). */
    long size() {
        return 1L << (32 - Integer.parseInt(clusterIpRange.split("/")[1]));
    }

    private long mask() {
        return (0xFFFFFFFFL << (32 - Integer.parseInt(clusterIpRange.split("/")[1]))) & 0xFFFFFFFFL;
    }

    /** Whether {@code ip} lies in the range. */
    boolean contains(String ip) {
        if (!InetAddresses.isInetAddress(ip) || !(InetAddresses.forString(ip) instanceof java.net.Inet4Address)) {
            return false;
        }
        long v = InetAddresses.coerceToInteger(InetAddresses.forString(ip)) & 0xFFFFFFFFL;
        return (v & mask()) == base();
    }

    static String format(long ip) {
        InetAddress a = InetAddresses.fromInteger((int) ip);
        return a.getHostAddress();
    }
}
