package dev.pulse.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version} of every {@code ./pulse} command: {@code pulse <the build's version>} ({@link PulseVersion}). */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"pulse " + PulseVersion.get()};
  }
}
