package org.pont.xdm;

/**
 * ebRIM 3.0 names and the IHE XDS identifiers of ITI TF-3 4.2.5 (Tables 4.2.5-1 and -2). Checked
 * against the ObjectRef list of the ONC ETT sample XDM_LIM.ZIP and two open implementations.
 */
final class Ebrim {
  private Ebrim() {}

  static final String RIM = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0";
  static final String LCM = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0";

  static final String OT_CLASSIFICATION = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification";
  static final String OT_EXTERNAL_IDENTIFIER = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier";
  static final String OT_REGISTRY_PACKAGE = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage";
  static final String OT_ASSOCIATION = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association";
  static final String HAS_MEMBER = "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember";

  // XDSDocumentEntry
  static final String DOCUMENT_ENTRY = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1";
  static final String ON_DEMAND_DOCUMENT_ENTRY = "urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248";
  static final String DE_AUTHOR = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d";
  static final String DE_CLASS_CODE = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a";
  static final String DE_CONFIDENTIALITY_CODE = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f";
  static final String DE_EVENT_CODE = "urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4";
  static final String DE_FORMAT_CODE = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d";
  static final String DE_HEALTHCARE_FACILITY_TYPE_CODE = "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1";
  static final String DE_PRACTICE_SETTING_CODE = "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead";
  static final String DE_TYPE_CODE = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983";
  static final String DE_PATIENT_ID = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427";
  static final String DE_UNIQUE_ID = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab";

  // XDSSubmissionSet
  static final String SUBMISSION_SET = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd";
  static final String SS_AUTHOR = "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d";
  static final String SS_CONTENT_TYPE_CODE = "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500";
  static final String SS_PATIENT_ID = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446";
  static final String SS_SOURCE_ID = "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832";
  static final String SS_UNIQUE_ID = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8";

  // XDSFolder: a RegistryPackage that is not the submission set
  static final String FOLDER = "urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2";
}
