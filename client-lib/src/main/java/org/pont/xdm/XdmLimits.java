package org.pont.xdm;

/**
 * What {@link XdmReader} accepts before refusing a package as hostile. Every limit is checked on
 * the bytes actually inflated, as they stream, never on the sizes the zip headers announce.
 *
 * @param maxEntryBytes largest inflated size of one zip entry (a document, METADATA.XML...)
 * @param maxTotalBytes largest inflated size of all entries together, and of a package read from a stream
 * @param maxEntries most entries (files and folders) in the zip
 * @param maxCompressionRatio largest inflated/compressed ratio of an entry, checked once it has
 *     inflated more than {@link #RATIO_CHECK_FLOOR} bytes (small text files legitimately compress well)
 * @param maxMetadataBytes largest METADATA.XML (it is parsed into memory as a DOM)
 */
public record XdmLimits(long maxEntryBytes, long maxTotalBytes, int maxEntries, int maxCompressionRatio, long maxMetadataBytes) {

  /** Below this many inflated bytes an entry's compression ratio is not judged. */
  public static final long RATIO_CHECK_FLOOR = 1L << 20;

  private static final long MIB = 1L << 20;

  /** 25 MiB per document (the size reported for MSSanté), 100 MiB in all, 1,000 entries, ratio 100, 10 MiB of metadata. */
  public static final XdmLimits DEFAULTS = new XdmLimits(25 * MIB, 100 * MIB, 1000, 100, 10 * MIB);

  public XdmLimits {
    if (maxEntryBytes <= 0 || maxTotalBytes <= 0 || maxEntries <= 0 || maxCompressionRatio <= 0 || maxMetadataBytes <= 0) {
      throw new IllegalArgumentException("XDM limits must be positive");
    }
  }

  public static XdmLimits defaults() {
    return DEFAULTS;
  }

  public XdmLimits withMaxEntryBytes(long v) {
    return new XdmLimits(v, maxTotalBytes, maxEntries, maxCompressionRatio, maxMetadataBytes);
  }

  public XdmLimits withMaxTotalBytes(long v) {
    return new XdmLimits(maxEntryBytes, v, maxEntries, maxCompressionRatio, maxMetadataBytes);
  }

  public XdmLimits withMaxEntries(int v) {
    return new XdmLimits(maxEntryBytes, maxTotalBytes, v, maxCompressionRatio, maxMetadataBytes);
  }

  public XdmLimits withMaxCompressionRatio(int v) {
    return new XdmLimits(maxEntryBytes, maxTotalBytes, maxEntries, v, maxMetadataBytes);
  }

  public XdmLimits withMaxMetadataBytes(long v) {
    return new XdmLimits(maxEntryBytes, maxTotalBytes, maxEntries, maxCompressionRatio, v);
  }
}
