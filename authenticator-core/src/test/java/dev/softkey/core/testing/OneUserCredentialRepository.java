package dev.softkey.core.testing;

import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An in-memory java-webauthn-server {@link CredentialRepository} with exactly one user, for tests
 * that verify softkey's responses with the Yubico relying party library. Credentials are added
 * after finishRegistration ({@link #register}) and replaced on signature counter updates ({@link
 * #add}).
 */
public final class OneUserCredentialRepository implements CredentialRepository {
  private final String username;
  private final ByteArray userHandle;
  private final Map<ByteArray, RegisteredCredential> credentials = new HashMap<>();

  public OneUserCredentialRepository(String username, ByteArray userHandle) {
    this.username = username;
    this.userHandle = userHandle;
  }

  public String username() {
    return username;
  }

  public ByteArray userHandle() {
    return userHandle;
  }

  /** Stores the credential a successful finishRegistration returned, under this user. */
  public RegisteredCredential register(RegistrationResult result) {
    RegisteredCredential credential =
        RegisteredCredential.builder()
            .credentialId(result.getKeyId().getId())
            .userHandle(userHandle)
            .publicKeyCose(result.getPublicKeyCose())
            .signatureCount(result.getSignatureCount())
            .build();
    add(credential);
    return credential;
  }

  /** Stores {@code credential}, replacing one with the same credential ID. */
  public void add(RegisteredCredential credential) {
    credentials.put(credential.getCredentialId(), credential);
  }

  public Optional<RegisteredCredential> credential(ByteArray credentialId) {
    return Optional.ofNullable(credentials.get(credentialId));
  }

  @Override
  public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String name) {
    return credentials.keySet().stream()
        .map(id -> PublicKeyCredentialDescriptor.builder().id(id).build())
        .collect(Collectors.toSet());
  }

  @Override
  public Optional<ByteArray> getUserHandleForUsername(String name) {
    return username.equals(name) ? Optional.of(userHandle) : Optional.empty();
  }

  @Override
  public Optional<String> getUsernameForUserHandle(ByteArray handle) {
    return userHandle.equals(handle) ? Optional.of(username) : Optional.empty();
  }

  @Override
  public Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray handle) {
    return credential(credentialId).filter(c -> c.getUserHandle().equals(handle));
  }

  @Override
  public Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
    Set<RegisteredCredential> out = new HashSet<>();
    credential(credentialId).ifPresent(out::add);
    return out;
  }
}
