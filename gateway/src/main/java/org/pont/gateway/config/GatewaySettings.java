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
 * @param policy what the policy mailets do with unsigned or unencryptable mail, and which
 *     domains are trusted beyond the gateway's own
 * @param relay how mail goes to other operators: static routes, retry schedule, whitelist file
 */
public record GatewaySettings(Path dataDir, String domain, Storage storage, Listeners listeners, Policy policy, RelaySettings relay) {

  public GatewaySettings {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(listeners, "listeners");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(relay, "relay");
    dataDir = dataDir.toAbsolutePath().normalize();
    domain = validDomain(domain);
  }

  /** The default policy ({@link Policy#DEFAULTS}) and relay ({@link RelaySettings#DEFAULTS}). */
  public GatewaySettings(Path dataDir, String domain, Storage storage, Listeners listeners) {
    this(dataDir, domain, storage, listeners, Policy.DEFAULTS);
  }

  /** The default relay settings ({@link RelaySettings#DEFAULTS}). */
  public GatewaySettings(Path dataDir, String domain, Storage storage, Listeners listeners, Policy policy) {
    this(dataDir, domain, storage, listeners, policy, RelaySettings.DEFAULTS);
  }

  /** The MSSanté whitelist (ANS XML): the relay's, or {@code <data>/whitelist.xml}. */
  public Path whitelistFile() {
    return relay.whitelistFile().map(dataDir::resolve).orElse(dataDir.resolve("whitelist.xml"));
  }

  /** Recipients' encryption certificates, one PEM file per address ({@code <address>.pem}). */
  public Path certificatesDir() {
    return dataDir.resolve("certificates");
  }

  /** The directory (annuaire) index, shared by the gateway and {@code pont directory}. */
  public Path directoryDir() {
    return dataDir.resolve("directory");
  }

  /** The append-only audit trail (JSON lines, one file per UTC day). */
  public Path auditDir() {
    return dataDir.resolve("audit");
  }

  /** The trusted-domains file: the policy's, or {@code <data>/trusted-domains.txt}. */
  public Path trustedDomainsFile() {
    return policy.trustedDomainsFile().map(dataDir::resolve).orElse(dataDir.resolve("trusted-domains.txt"));
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

  /**
   * The policy mailets' choices.
   *
   * @param unsigned what happens to inbound mail that carries no S/MIME signature
   * @param unencryptable what happens to outbound mail for a remote recipient whose encryption
   *     certificate is unknown
   * @param trustedDomainsFile a file of trusted sender domains, one per line (relative to the
   *     data folder); empty means {@code <data>/trusted-domains.txt}
   */
  public record Policy(Unsigned unsigned, Unencryptable unencryptable, java.util.Optional<Path> trustedDomainsFile) {
    public static final Policy DEFAULTS = new Policy(Unsigned.QUARANTINE, Unencryptable.REFUSE, java.util.Optional.empty());

    public Policy {
      Objects.requireNonNull(unsigned, "unsigned");
      Objects.requireNonNull(unencryptable, "unencryptable");
      Objects.requireNonNull(trustedDomainsFile, "trustedDomainsFile");
    }

    /** Inbound mail without a signature. */
    public enum Unsigned {
      /** Quarantine with reason UNSIGNED and tell the sender (the default). */
      QUARANTINE,
      /** Deliver with {@code X-Pont-Signature: NOT_SIGNED}. */
      DELIVER;

      public static Unsigned parse(String value) {
        return parseEnum(Unsigned.class, value, "pont.policy.unsigned", "quarantine", "deliver");
      }
    }

    /** Outbound mail for a remote recipient without a known encryption certificate. */
    public enum Unencryptable {
      /** Refuse with reason ENCRYPTION_REQUIRED and tell the sender (the default). */
      REFUSE,
      /** Send it signed only. */
      SIGN_ONLY;

      public static Unencryptable parse(String value) {
        return parseEnum(Unencryptable.class, value, "pont.policy.unencryptable", "refuse", "sign-only");
      }
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String setting, String... allowed) {
      try {
        return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(setting + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'", e);
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
