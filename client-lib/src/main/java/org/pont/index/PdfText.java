package org.pont.index;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Text of a PDF attachment through Apache PDFBox, spooled to a temporary file so a large PDF never sits on the heap. */
final class PdfText {
  private static final Logger LOG = LoggerFactory.getLogger(PdfText.class);
  private static final int MAX_PAGES = 500;

  private PdfText() {}

  static Optional<String> extract(Part part, long maxBytes, int maxChars) throws MessagingException {
    Path tmp = null;
    try {
      tmp = Files.createTempFile("pont-pdf-", ".pdf");
      long size;
      try (InputStream in = part.getInputStream(); OutputStream out = Files.newOutputStream(tmp)) {
        size = copyAtMost(in, out, maxBytes + 1);
      }
      if (size > maxBytes) {
        LOG.info("PDF attachment of more than {} bytes not read for indexing", maxBytes);
        return Optional.empty();
      }
      try (PDDocument doc = Loader.loadPDF(tmp.toFile(), "", IOUtils.createTempFileOnlyStreamCache())) {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setEndPage(MAX_PAGES);
        String text = stripper.getText(doc);
        return Optional.of(text.length() > maxChars ? text.substring(0, maxChars) : text);
      }
    } catch (IOException e) {
      LOG.info("PDF attachment unreadable for indexing: {}", e.getMessage());
      return Optional.empty();
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // the OS cleans its temporary folder
        }
      }
    }
  }

  private static long copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    int n;
    while (total < limit && (n = in.read(buf)) > 0) {
      out.write(buf, 0, n);
      total += n;
    }
    return total;
  }
}
