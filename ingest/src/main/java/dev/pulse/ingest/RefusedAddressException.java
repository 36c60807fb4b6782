package dev.pulse.ingest;

import java.io.IOException;
import java.net.URI;

/** A feed URL (or a redirect's target) that points where Pulse does not fetch from: see {@link AddressGuard}. */
public final class RefusedAddressException extends IOException {
  public RefusedAddressException(URI uri, String why) {
    super("refused to fetch " + RssSource.printable(uri.getScheme() + "://" + uri.getRawAuthority()
        + (uri.getRawPath() == null ? "" : uri.getRawPath())) + ": " + why);
  }
}
