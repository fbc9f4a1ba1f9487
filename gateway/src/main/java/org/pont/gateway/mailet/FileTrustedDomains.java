package org.pont.gateway.mailet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The gateway's own domains plus the domains listed in a text file, one per line ({@code #}
 * starts a comment). The file is re-read when its modification time changes, so an operator can
 * add a peer without a restart; a missing file means "own domains only".
 */
public final class FileTrustedDomains implements TrustedDomains {

  private final Set<String> own;
  private final Path file;
  private volatile Snapshot snapshot = new Snapshot(null, Set.of());

  private record Snapshot(FileTime modified, Set<String> domains) {}

  public FileTrustedDomains(Set<String> ownDomains, Path file) {
    this.own = normalise(ownDomains);
    this.file = file;
  }

  @Override
  public boolean isTrusted(String domain) {
    if (domain == null || domain.isBlank()) {
      return false;
    }
    String d = domain.strip().toLowerCase(Locale.ROOT);
    return own.contains(d) || current().contains(d);
  }

  private Set<String> current() {
    FileTime modified;
    try {
      modified = Files.getLastModifiedTime(file);
    } catch (NoSuchFileException e) {
      return Set.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trusted domains file " + file, e);
    }
    Snapshot s = snapshot;
    if (modified.equals(s.modified())) {
      return s.domains();
    }
    try {
      Set<String> domains = new HashSet<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int hash = line.indexOf('#');
        String d = (hash >= 0 ? line.substring(0, hash) : line).strip().toLowerCase(Locale.ROOT);
        if (!d.isEmpty()) {
          domains.add(d);
        }
      }
      Snapshot fresh = new Snapshot(modified, Set.copyOf(domains));
      snapshot = fresh;
      return fresh.domains();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the trusted domains file " + file, e);
    }
  }

  private static Set<String> normalise(Set<String> domains) {
    Set<String> out = new HashSet<>();
    for (String d : domains) {
      out.add(d.strip().toLowerCase(Locale.ROOT));
    }
    return Set.copyOf(out);
  }
}
