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
 * A compact JWS (RFC 7515 section 7.1), as the FIDO MDS 3.0 BLOB is (section 3.1.7): {@code
 * BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature)}, the protected header {@code
 * {"alg","typ":"JWT","x5c":[...]}} with the certificates in standard base64 (RFC 7515 section
 * 4.1.6), signer first. RS256 (RFC 7518 section 3.3: RSASSA-PKCS1-v1_5 SHA-256, what the FIDO
 * Alliance's BLOB uses) or ES256 (section 3.4: the signature is JOSE's raw {@code r||s}, 32 bytes
 * each, not the DER SEQUENCE the signer returns).
 */
public final class Jws {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int P256_COORDINATE = 32;

  private Jws() {}

  /**
   * A JWS signing key: its JWS alg, the signature function (already in JWS form), its x5c chain.
   */
  public record Signer(String alg, Function<byte[], byte[]> sign, List<Bytes> x5c) {
    public Signer {
      if (!alg.equals("ES256") && !alg.equals("RS256")) {
        throw new IllegalArgumentException("JWS alg must be ES256 or RS256, not " + alg);
      }
      x5c = List.copyOf(x5c);
    }

    /** ES256 over a signer whose signatures are DER ECDSA (a {@code BatchAttestation}). */
    public static Signer es256(Function<byte[], Bytes> derSigner, List<Bytes> x5c) {
      return new Signer("ES256", m -> rawSignature(derSigner.apply(m)), x5c);
    }

    /** RS256 over an RSASSA-PKCS1-v1_5 SHA-256 signer (its signature is the JWS signature as is). */
    public static Signer rs256(Function<byte[], Bytes> pkcs1Signer, List<Bytes> x5c) {
      return new Signer("RS256", m -> pkcs1Signer.apply(m).toArray(), x5c);
    }

    @Override
    public String toString() {
      return "Jws.Signer[" + alg + "]";
    }
  }

  /** Signs {@code payload} as a compact JWS with {@code signer}. */
  public static String sign(byte[] payload, Signer signer) {
    ObjectNode header = JsonNodeFactory.instance.objectNode();
    header.put("alg", signer.alg());
    header.put("typ", "JWT");
    ArrayNode chain = header.putArray("x5c");
    signer.x5c().forEach(c -> chain.add(Base64.getEncoder().encodeToString(c.toArray())));
    String signingInput;
    try {
      signingInput = b64url(MAPPER.writeValueAsBytes(header)) + "." + b64url(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode the JWS header", e);
    }
    return signingInput + "." + b64url(signer.sign().apply(signingInput.getBytes(StandardCharsets.US_ASCII)));
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
