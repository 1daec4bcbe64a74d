package dev.softkey.metadata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.softkey.ctap.model.Bytes;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * A compact JWS (RFC 7515 section 7.1) with ES256 (RFC 7518 section 3.4), as the FIDO MDS 3.0 BLOB
 * is (section 3.1.7): {@code BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature)},
 * the protected header {@code {"alg":"ES256","typ":"JWT","x5c":[...]}} with the certificates in
 * standard base64 (RFC 7515 section 4.1.6), signer first. The signature is JOSE's raw {@code r||s},
 * 32 bytes each, not the DER SEQUENCE the signer returns.
 */
public final class Jws {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int P256_COORDINATE = 32;

  private Jws() {}

  /**
   * Signs {@code payload} as an ES256 compact JWS.
   *
   * @param x5c the signer's certificate chain, DER, signer first
   * @param derSigner SHA-256 ECDSA over P-256 of the signing input, DER-encoded
   */
  public static String signEs256(byte[] payload, List<Bytes> x5c, Function<byte[], Bytes> derSigner) {
    ObjectNode header = JsonNodeFactory.instance.objectNode();
    header.put("alg", "ES256");
    header.put("typ", "JWT");
    ArrayNode chain = header.putArray("x5c");
    x5c.forEach(c -> chain.add(Base64.getEncoder().encodeToString(c.toArray())));
    String signingInput;
    try {
      signingInput = b64url(MAPPER.writeValueAsBytes(header)) + "." + b64url(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the JWS header", e);
    }
    Bytes der = derSigner.apply(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + b64url(rawSignature(der));
  }

  /** A DER ECDSA-Sig-Value (RFC 3279 section 2.2.3) as JOSE's fixed-length r||s (RFC 7518 section 3.4). */
  static byte[] rawSignature(Bytes der) {
    ASN1Sequence seq;
    try {
      seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der.toArray()));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException("the signer returned no DER ECDSA signature", e);
    }
    if (seq.size() != 2) {
      throw new IllegalStateException("the signer returned no DER ECDSA signature");
    }
    byte[] out = new byte[2 * P256_COORDINATE];
    fixed(ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue(), out, 0);
    fixed(ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue(), out, P256_COORDINATE);
    return out;
  }

  private static void fixed(BigInteger v, byte[] out, int off) {
    byte[] b = v.toByteArray();
    int start = b.length > P256_COORDINATE ? b.length - P256_COORDINATE : 0;
    int len = b.length - start;
    if (len > P256_COORDINATE || (start > 0 && b[0] != 0)) {
      throw new IllegalStateException("ECDSA signature value longer than 32 bytes");
    }
    System.arraycopy(b, start, out, off + P256_COORDINATE - len, len);
  }

  static String b64url(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
