package org.pont.transport;

import java.io.IOException;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The sync checkpoints of one index, in a small text file beside it ({@code sync-checkpoints.tsv}:
 * folder, UIDVALIDITY, last UID per line). Every change rewrites the file through a temporary file
 * that is flushed to disk and atomically renamed, so a crash leaves either the old or the new file.
 * The sync writes a checkpoint only after the index commit that covers it.
 */
public final class CheckpointStore {
  static final String FILE_NAME = "sync-checkpoints.tsv";

  private final Path file;
  private final Map<String, Checkpoint> checkpoints = new TreeMap<>();

  private CheckpointStore(Path file) {
    this.file = file;
  }

  /** Loads the checkpoints kept in {@code indexFolder} (none if the file does not exist yet). */
  public static CheckpointStore in(Path indexFolder) throws IOException {
    CheckpointStore store = new CheckpointStore(indexFolder.resolve(FILE_NAME));
    if (Files.exists(store.file)) {
      for (String line : Files.readAllLines(store.file, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cols = line.split("\t");
        if (cols.length != 3) {
          throw new IOException("unreadable checkpoint line in " + store.file + ": " + line);
        }
        String folder = URLDecoder.decode(cols[0], StandardCharsets.UTF_8);
        try {
          store.checkpoints.put(folder, new Checkpoint(folder, Long.parseLong(cols[1]), Long.parseLong(cols[2])));
        } catch (IllegalArgumentException e) {
          throw new IOException("unreadable checkpoint line in " + store.file + ": " + line, e);
        }
      }
    }
    return store;
  }

  public synchronized Optional<Checkpoint> get(String folder) {
    return Optional.ofNullable(checkpoints.get(folder));
  }

  public synchronized Map<String, Checkpoint> all() {
    return Map.copyOf(checkpoints);
  }

  /** Records and durably writes a checkpoint. */
  public synchronized void put(Checkpoint c) throws IOException {
    checkpoints.put(c.folder(), c);
    write();
  }

  /** Forgets a folder's checkpoint (its next sync starts from UID 1). */
  public synchronized void remove(String folder) throws IOException {
    if (checkpoints.remove(folder) != null) {
      write();
    }
  }

  /** Forgets every checkpoint. */
  public synchronized void clear() throws IOException {
    checkpoints.clear();
    write();
  }

  private void write() throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        Writer w = java.nio.channels.Channels.newWriter(ch, StandardCharsets.UTF_8)) {
      w.write("# folder\tuidvalidity\tlastuid\n");
      for (Checkpoint c : checkpoints.values()) {
        w.write(URLEncoder.encode(c.folder(), StandardCharsets.UTF_8) + "\t" + c.uidValidity() + "\t" + c.lastUid() + "\n");
      }
      w.flush();
      ch.force(true);
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
