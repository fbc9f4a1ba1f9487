package org.pont.gateway.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * What the gateway is told to be: where its data lives, which domain it serves, how James stores
 * mail and where it listens. Every other file (James's configuration, keystores) derives from it.
 *
 * @param dataDir the one folder holding everything the gateway keeps (absolute)
 * @param domain the organisation's mail domain, e.g. {@code hopital.test}
 * @param storage persistent (the default) or in-memory James (fast tests only)
 * @param listeners the addresses and ports of James's SMTP and IMAP listeners
 */
public record GatewaySettings(Path dataDir, String domain, Storage storage, Listeners listeners) {

  public GatewaySettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(listeners, "listeners");
    dataDir = dataDir.toAbsolutePath().normalize();
    domain = validDomain(domain);
  }

  /** James's working directory: its {@code conf} and {@code var} live there. */
  public Path jamesDir() {
    return dataDir.resolve("james");
  }

  /** The gateway's PKI material (test PKI on first start, or the operator's own). */
  public Path pkiDir() {
    return dataDir.resolve("pki");
  }

  /** Generated demo credentials, readable by the owner only. */
  public Path credentialsFile() {
    return dataDir.resolve("credentials.properties");
  }

  /** How James keeps mail. */
  public enum Storage {
    /** JPA on embedded Derby, ActiveMQ on disk, file mail repositories: survives a restart. */
    PERSISTENT,
    /** James's memory modules: everything is lost on stop. */
    MEMORY;

    public static Storage parse(String value) {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "pont.storage must be 'persistent' or 'memory', not '" + value + "'", e);
      }
    }
  }

  /**
   * James's listeners. Port 0 picks a free port (tests); the bound ports are then read back from
   * the running server.
   */
  public record Listeners(String bindAddress, int smtp, int submission, int imap, int imaps) {
    public static final Listeners DEFAULTS = new Listeners("127.0.0.1", 2525, 2587, 2143, 2993);

    public Listeners {
      Objects.requireNonNull(bindAddress, "bindAddress");
      if (bindAddress.isBlank()) {
        throw new IllegalArgumentException("pont.bind must name an address, e.g. 127.0.0.1");
      }
      checkPort("pont.ports.smtp", smtp);
      checkPort("pont.ports.submission", submission);
      checkPort("pont.ports.imap", imap);
      checkPort("pont.ports.imaps", imaps);
    }

    private static void checkPort(String name, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(name + " must be between 0 and 65535, not " + port);
      }
    }
  }

  private static String validDomain(String domain) {
    Objects.requireNonNull(domain, "domain");
    String d = domain.trim().toLowerCase(Locale.ROOT);
    if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
      throw new IllegalArgumentException("pont.domain is not a mail domain: '" + domain + "'");
    }
    return d;
  }
}
