package org.pont.gateway.james;

import java.awt.datatransfer.DataFlavor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import javax.activation.ActivationDataFlavor;
import javax.activation.DataContentHandler;
import javax.activation.DataSource;

/**
 * javax.activation handler for the S/MIME types: their content is the raw bytes. Stands in for
 * Bouncy Castle's javax handlers (bcmail-jdk15on), which Pont leaves out: only the jakarta ones
 * (bcjmail) are on the classpath, and javax.mail must not pick those up.
 */
public final class JavaxRawContentHandler implements DataContentHandler {

  private static final ActivationDataFlavor BYTES =
      new ActivationDataFlavor(InputStream.class, "application/octet-stream", "bytes");

  @Override
  public DataFlavor[] getTransferDataFlavors() {
    return new DataFlavor[] {BYTES};
  }

  @Override
  public Object getTransferData(DataFlavor flavor, DataSource source) throws IOException {
    return source.getInputStream();
  }

  @Override
  public Object getContent(DataSource source) throws IOException {
    return source.getInputStream();
  }

  @Override
  public void writeTo(Object content, String mimeType, OutputStream out) throws IOException {
    if (content instanceof InputStream in) {
      in.transferTo(out);
    } else if (content instanceof byte[] bytes) {
      out.write(bytes);
    } else {
      throw new IOException("cannot write " + content.getClass().getName() + " as " + mimeType);
    }
  }
}
