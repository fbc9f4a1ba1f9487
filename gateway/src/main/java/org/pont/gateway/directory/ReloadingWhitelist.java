package org.pont.gateway.directory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's whitelist file, read again when its modification time changes, so that a peer
 * added with {@code pont whitelist add} counts without a restart. A file that cannot be read or
 * parsed after an edit does not empty the trust space: the last good version stays in force and
 * the error is logged. A {@code <file>.sha256} beside it (the ANS {@code checksum}) is verified
 * first. Thread-safe.
 */
public final class ReloadingWhitelist {

  private static final Logger LOG = LoggerFactory.getLogger(ReloadingWhitelist.class);

  private final Path file;
  private final WhitelistLoader loader = new WhitelistLoader();
  private volatile Snapshot snapshot;

  private record Snapshot(FileTime modified, Whitelist whitelist) {}

  /** Loads {@code file} now: a missing or invalid file at start is an error the operator must fix. */
  public ReloadingWhitelist(Path file) throws WhitelistException {
    this.file = file;
    FileTime modified = modified().orElseThrow(() ->
        new WhitelistException(WhitelistException.Reason.UNREADABLE, "no whitelist at " + file));
    this.snapshot = new Snapshot(modified, load());
  }

  /** The whitelist file. */
  public Path file() {
    return file;
  }

  /** The whitelist as the file says now (or the last good version, see above). */
  public Whitelist current() {
    Snapshot s = snapshot;
    Optional<FileTime> modified = modified();
    if (modified.isEmpty() || modified.get().equals(s.modified())) {
      return s.whitelist();
    }
    synchronized (this) {
      if (!modified.get().equals(snapshot.modified())) {
        try {
          snapshot = new Snapshot(modified.get(), load());
          LOG.info("Whitelist {} reloaded: {} domains", file, snapshot.whitelist().size());
        } catch (WhitelistException e) {
          // Remember the failed version too, so it is reported once, not on every message.
          snapshot = new Snapshot(modified.get(), snapshot.whitelist());
          LOG.error("Whitelist {} changed but cannot be used ({}); the previous version stays in force", file, e.getMessage());
        }
      }
      return snapshot.whitelist();
    }
  }

  private Whitelist load() throws WhitelistException {
    // The ANS publishes a SHA-256 beside its file; kept as <file>.sha256 it is checked first.
    Path checksum = file.resolveSibling(file.getFileName() + ".sha256");
    Whitelist w = loader.load(file, Files.exists(checksum) ? Optional.of(checksum) : Optional.empty());
    w.warnings().forEach(warning -> LOG.warn("Whitelist {}: {}", file, warning));
    return w;
  }

  private Optional<FileTime> modified() {
    try {
      return Optional.of(Files.getLastModifiedTime(file));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
