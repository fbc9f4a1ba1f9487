package org.pont.gateway.api;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * What the REST API is told: the size limit of a submission and who the gateway says authored
 * and keeps the level-1 CDA documents it builds from a PDF (the organisation, from settings).
 */
@Singleton
public final class ApiSettings {

  private final long maxMessageBytes;
  private final String authorRpps;
  private final String authorGiven;
  private final String authorFamily;
  private final String custodianFiness;
  private final String custodianName;
  private final String softwareId;
  private final String sourceOid;

  public ApiSettings(
      @Value("${pont.api.max-message-size:26214400}") long maxMessageBytes,
      @Value("${pont.api.author.rpps:00000000000}") String authorRpps,
      @Value("${pont.api.author.given:Service}") String authorGiven,
      @Value("${pont.api.author.family:EXPEDITEUR}") String authorFamily,
      @Value("${pont.api.custodian.finess:000000000}") String custodianFiness,
      @Value("${pont.api.custodian.name:Etablissement Pont}") String custodianName,
      @Value("${pont.api.software-id:Pont-gateway/0.1}") String softwareId,
      @Value("${pont.api.source-oid:1.2.250.1.999.1}") String sourceOid) {
    if (maxMessageBytes <= 0) {
      throw new IllegalArgumentException("pont.api.max-message-size must be positive, not " + maxMessageBytes);
    }
    this.maxMessageBytes = maxMessageBytes;
    this.authorRpps = authorRpps;
    this.authorGiven = authorGiven;
    this.authorFamily = authorFamily;
    this.custodianFiness = custodianFiness;
    this.custodianName = custodianName;
    this.softwareId = softwareId;
    this.sourceOid = sourceOid;
  }

  /** The XDM submission set's sourceId (the operator's OID). */
  public String sourceOid() {
    return sourceOid;
  }

  /** Largest accepted sum of the uploaded files and metadata, in bytes (default 25 MiB). */
  public long maxMessageBytes() {
    return maxMessageBytes;
  }

  public String authorRpps() {
    return authorRpps;
  }

  public String authorGiven() {
    return authorGiven;
  }

  public String authorFamily() {
    return authorFamily;
  }

  public String custodianFiness() {
    return custodianFiness;
  }

  public String custodianName() {
    return custodianName;
  }

  public String softwareId() {
    return softwareId;
  }
}
