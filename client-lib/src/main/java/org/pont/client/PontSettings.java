package org.pont.client;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pont.smime.SecureMessaging;
import org.pont.transport.MailCredentials;
import org.pont.transport.ServerSettings;

/**
 * Everything a {@link PontClient} needs, typed: the submission and IMAP servers (TLS always on),
 * the mailbox login, optional S/MIME keys and trust, the index folder the application owns and the
 * folders to sync. Built with {@link #builder()}; {@link #toString()} shows no secret.
 */
public record PontSettings(
    ServerSettings smtp,
    ServerSettings imap,
    MailCredentials credentials,
    Optional<SecureMessaging> secureMessaging,
    Path indexFolder,
    List<String> folders,
    int batchSize) {

  public PontSettings {
    Objects.requireNonNull(smtp, "smtp");
    Objects.requireNonNull(imap, "imap");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(secureMessaging, "secureMessaging");
    Objects.requireNonNull(indexFolder, "indexFolder");
    folders = List.copyOf(folders);
    if (folders.isEmpty()) {
      throw new IllegalArgumentException("at least one folder to sync");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be positive");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects {@link PontSettings}; smtp, imap, credentials and indexFolder are required. */
  public static final class Builder {
    private ServerSettings smtp;
    private ServerSettings imap;
    private MailCredentials credentials;
    private SecureMessaging secureMessaging;
    private Path indexFolder;
    private List<String> folders = List.of("INBOX");
    private int batchSize = 100;

    private Builder() {}

    /** The submission server (587 STARTTLS or 465 implicit TLS). */
    public Builder smtp(ServerSettings s) {
      this.smtp = s;
      return this;
    }

    /** The IMAP server (143 STARTTLS or 993 implicit TLS). */
    public Builder imap(ServerSettings s) {
      this.imap = s;
      return this;
    }

    public Builder credentials(MailCredentials c) {
      this.credentials = c;
      return this;
    }

    /** Our S/MIME keys and trust anchors: end-to-end signing/encryption, decryption and verdicts. */
    public Builder secureMessaging(SecureMessaging s) {
      this.secureMessaging = s;
      return this;
    }

    /** Where the index and its sync checkpoints live; the application owns this folder. */
    public Builder indexFolder(Path folder) {
      this.indexFolder = folder;
      return this;
    }

    /** The IMAP folders to sync (default INBOX). */
    public Builder folders(String... names) {
      this.folders = List.of(names);
      return this;
    }

    /** Messages per fetch and per index commit (default 100). */
    public Builder batchSize(int n) {
      this.batchSize = n;
      return this;
    }

    public PontSettings build() {
      if (smtp == null || imap == null || credentials == null || indexFolder == null) {
        throw new IllegalStateException("smtp, imap, credentials and indexFolder are required");
      }
      return new PontSettings(smtp, imap, credentials, Optional.ofNullable(secureMessaging), indexFolder, folders, batchSize);
    }
  }
}
