package dev.pulse.ingest;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a feed may be fetched from (server-side request forgery): only public unicast addresses, unless an address
 * falls in one of the feed's {@code allowedNetworks}. Refused: loopback (127/8, ::1), "this host" (0/8, ::),
 * link-local (169.254/16 with the cloud metadata address 169.254.169.254, fe80::/10), private (10/8, 172.16/12,
 * 192.168/16, fc00::/7 ULA, fec0::/10), shared/CGNAT (100.64/10, where some clouds keep metadata too), IETF and
 * benchmark ranges (192.0.0/24, 198.18/15), multicast, reserved (240/4) and broadcast, and IPv6 forms that embed one
 * of those IPv4 addresses (IPv4-mapped and -compatible, NAT64 64:ff9b::/96, 6to4 2002::/16).
 *
 * <p>The host is resolved once, every address of the answer must pass, and {@link #resolve} returns those addresses:
 * the fetcher ({@link PinnedHttpClient}) connects to them and to nothing else, without a lookup of its own, so a name
 * server that answers a public address here and a private one a moment later (DNS rebinding) gains nothing.
 */
public final class AddressGuard {
  /** Resolves a host name to all its addresses (the JVM's resolver; tests may pin one). */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final List<Cidr> allowed;
  private final Resolver resolver;

  public AddressGuard(List<String> allowedNetworks, Resolver resolver) {
    List<Cidr> parsed = new ArrayList<>();
    for (String cidr : allowedNetworks == null ? List.<String>of() : allowedNetworks) {
      parsed.add(Cidr.parse(cidr));
    }
    this.allowed = List.copyOf(parsed);
    this.resolver = resolver;
  }

  public static AddressGuard publicOnly() {
    return new AddressGuard(List.of(), InetAddress::getAllByName);
  }

  /** Throws unless the URL is http(s) and every address of its host may be fetched. */
  public void check(URI uri) throws RefusedAddressException, UnknownHostException {
    resolve(uri);
  }

  /**
   * The addresses of the URL's host, resolved once and each checked: the only ones a connection for this URL may
   * use. Throws unless the URL is http(s) and every address may be fetched.
   */
  public List<InetAddress> resolve(URI uri) throws RefusedAddressException, UnknownHostException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new RefusedAddressException(uri, "only http and https URLs are fetched");
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      throw new RefusedAddressException(uri, "the URL has no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress[] addresses = resolver.resolve(host);
    if (addresses.length == 0) {
      throw new UnknownHostException(host);
    }
    for (InetAddress a : addresses) {
      String why = special(a);
      if (why != null && allowed.stream().noneMatch(c -> c.contains(a))) {
        throw new RefusedAddressException(uri, host + " resolves to " + a.getHostAddress() + ", a " + why
            + " address; list its network in the feed's rss.allowedNetworks to fetch it");
      }
    }
    return List.of(addresses);
  }

  /** Why an address is not a public unicast one (e.g. "loopback"), or null when it is. */
  static String special(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return "loopback";
    }
    if (a.isAnyLocalAddress()) {
      return "wildcard";
    }
    if (a.isLinkLocalAddress()) {
      return "link-local (cloud metadata)";
    }
    if (a.isSiteLocalAddress()) {
      return "private";
    }
    if (a.isMulticastAddress()) {
      return "multicast";
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return special4(b);
    }
    if (a instanceof Inet6Address) {
      int first = b[0] & 0xff;
      if ((first & 0xfe) == 0xfc) {
        return "private (ULA)";
      }
      if (isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff
          || isZero(b, 0, 12)) {
        return embedded(b, 12, "IPv4-mapped");
      }
      if ((b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b
          && isZero(b, 4, 12)) {
        return embedded(b, 12, "NAT64");
      }
      if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
        return embedded(b, 2, "6to4");
      }
      if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
        return "documentation";
      }
    }
    return null;
  }

  private static String embedded(byte[] b, int at, String form) {
    byte[] v4 = {b[at], b[at + 1], b[at + 2], b[at + 3]};
    String why;
    try {
      why = special(InetAddress.getByAddress(v4));
    } catch (UnknownHostException e) {
      return "malformed " + form;
    }
    return why == null ? null : why + " (" + form + ")";
  }

  private static String special4(byte[] b) {
    int o0 = b[0] & 0xff;
    int o1 = b[1] & 0xff;
    int o2 = b[2] & 0xff;
    if (o0 == 0) {
      return "\"this network\"";
    }
    if (o0 == 100 && (o1 & 0xc0) == 64) {
      return "shared (CGNAT)";
    }
    if (o0 == 192 && o1 == 0 && o2 == 0) {
      return "IETF protocol";
    }
    if (o0 == 198 && (o1 & 0xfe) == 18) {
      return "benchmark";
    }
    if (o0 >= 240) {
      return "reserved";
    }
    return null;
  }

  private static boolean isZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** One allowed block: an address and a prefix length. */
  record Cidr(byte[] network, int bits) {
    static Cidr parse(String text) {
      String t = text == null ? "" : text.trim();
      int slash = t.indexOf('/');
      try {
        if (slash < 0 || t.isEmpty() || !t.substring(0, slash).matches("[0-9A-Fa-f:.]+")) {
          throw new IllegalArgumentException();
        }
        byte[] address = InetAddress.getByName(t.substring(0, slash)).getAddress();
        int bits = Integer.parseInt(t.substring(slash + 1));
        if (bits < 0 || bits > address.length * 8) {
          throw new IllegalArgumentException();
        }
        return new Cidr(address, bits);
      } catch (IllegalArgumentException | UnknownHostException e) {
        throw new IllegalArgumentException("rss.allowedNetworks: '" + text
            + "' is not a CIDR block such as 10.0.0.0/8, 127.0.0.1/32 or fd00::/8");
      }
    }

    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      if (b.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (b[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (b[full] & mask) == (network[full] & mask);
    }
  }
}
