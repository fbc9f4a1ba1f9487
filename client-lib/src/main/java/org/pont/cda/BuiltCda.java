package org.pont.cda;

import org.pont.message.ClinicalDocument;

/** A CDA document Pont builds: its header inputs and its XML, ready to attach to a message. */
public sealed interface BuiltCda permits Level1Document, DischargeLetter {

  CdaHeader header();

  /** The document as UTF-8 XML bytes. */
  byte[] toXml();

  /** The document as the message model carries it ({@code text/xml}, type and title from the header). */
  default ClinicalDocument toClinicalDocument(String fileName) {
    return new ClinicalDocument(header().type(), header().title(), ClinicalDocument.CDA_MEDIA_TYPE, fileName, toXml());
  }
}
