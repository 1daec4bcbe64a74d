package dev.softkey.testkit;

import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.RegistrationResult;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A Yubico CredentialRepository with one user, alice, the way an RP's tests keep one. */
final class InMemoryCredentials implements CredentialRepository {
  static final String USERNAME = "alice";
  static final ByteArray USER_HANDLE = new ByteArray(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

  private final Map<ByteArray, RegisteredCredential> credentials = new HashMap<>();

  void register(RegistrationResult r) {
    credentials.put(
        r.getKeyId().getId(),
        RegisteredCredential.builder()
            .credentialId(r.getKeyId().getId())
            .userHandle(USER_HANDLE)
            .publicKeyCose(r.getPublicKeyCose())
            .signatureCount(r.getSignatureCount())
            .build());
  }

  @Override
  public Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String name) {
    return credentials.keySet().stream().map(id -> PublicKeyCredentialDescriptor.builder().id(id).build()).collect(Collectors.toSet());
  }

  @Override
  public Optional<ByteArray> getUserHandleForUsername(String name) {
    return USERNAME.equals(name) ? Optional.of(USER_HANDLE) : Optional.empty();
  }

  @Override
  public Optional<String> getUsernameForUserHandle(ByteArray handle) {
    return USER_HANDLE.equals(handle) ? Optional.of(USERNAME) : Optional.empty();
  }

  @Override
  public Optional<RegisteredCredential> lookup(ByteArray id, ByteArray handle) {
    return Optional.ofNullable(credentials.get(id)).filter(c -> c.getUserHandle().equals(handle));
  }

  @Override
  public Set<RegisteredCredential> lookupAll(ByteArray id) {
    return Optional.ofNullable(credentials.get(id)).map(Set::of).orElse(Set.of());
  }
}
