package dev.softkey.rp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.yubico.webauthn.CredentialRepository;
import com.yubico.webauthn.RegisteredCredential;
import com.yubico.webauthn.data.ByteArray;
import com.yubico.webauthn.data.PublicKeyCredentialDescriptor;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The RP's users and their credentials, in memory: Yubico's {@link CredentialRepository} plus what
 * the policies and the page need of a credential (its AAGUID and model, kept from registration).
 * Thread-safe: every method holds the object's lock.
 */
final class Users implements CredentialRepository {
  /** A user: the name is unique, the handle is 16 random bytes. */
  record User(String name, String displayName, ByteArray handle) {}

  /** A registered credential and what registration learnt of it. */
  record Credential(ByteArray id, ByteArray userHandle, ByteArray publicKeyCose, long signCount, String aaguid, Optional<String> model,
      String format, int algorithm, Optional<Boolean> discoverable) {
    Credential withSignCount(long n) {
      return new Credential(id, userHandle, publicKeyCose, n, aaguid, model, format, algorithm, discoverable);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, User> byName = new LinkedHashMap<>();
  private final Map<ByteArray, User> byHandle = new LinkedHashMap<>();
  private final Map<ByteArray, Credential> credentials = new LinkedHashMap<>();
  // each user's credential IDs, so that a load test's thousands of users cost no scan per ceremony
  private final Map<ByteArray, List<ByteArray>> byUser = new LinkedHashMap<>();

  /** The user of that name, made (with a new handle) when there is none. */
  synchronized User userFor(String name, String displayName) {
    return byName.computeIfAbsent(name, n -> {
      byte[] h = new byte[16];
      random.nextBytes(h);
      User u = new User(n, displayName, new ByteArray(h));
      byHandle.put(u.handle(), u);
      return u;
    });
  }

  synchronized void add(Credential c) {
    if (credentials.put(c.id(), c) == null) {
      byUser.computeIfAbsent(c.userHandle(), h -> new ArrayList<>()).add(c.id());
    }
  }

  private List<Credential> of(User u) {
    List<Credential> out = new ArrayList<>();
    for (ByteArray id : byUser.getOrDefault(u.handle(), List.of())) {
      out.add(credentials.get(id));
    }
    return out;
  }

  synchronized Optional<Credential> credential(ByteArray id) {
    return Optional.ofNullable(credentials.get(id));
  }

  synchronized void updateSignCount(ByteArray id, long n) {
    credentials.computeIfPresent(id, (k, c) -> c.withSignCount(n));
  }

  synchronized Optional<User> user(ByteArray handle) {
    return Optional.ofNullable(byHandle.get(handle));
  }

  @Override
  public synchronized Set<PublicKeyCredentialDescriptor> getCredentialIdsForUsername(String username) {
    User u = byName.get(username);
    if (u == null) {
      return Set.of();
    }
    return of(u).stream().map(c -> PublicKeyCredentialDescriptor.builder().id(c.id()).build()).collect(Collectors.toSet());
  }

  @Override
  public synchronized Optional<ByteArray> getUserHandleForUsername(String username) {
    return Optional.ofNullable(byName.get(username)).map(User::handle);
  }

  @Override
  public synchronized Optional<String> getUsernameForUserHandle(ByteArray userHandle) {
    return Optional.ofNullable(byHandle.get(userHandle)).map(User::name);
  }

  @Override
  public synchronized Optional<RegisteredCredential> lookup(ByteArray credentialId, ByteArray userHandle) {
    return Optional.ofNullable(credentials.get(credentialId)).filter(c -> c.userHandle().equals(userHandle)).map(Users::registered);
  }

  @Override
  public synchronized Set<RegisteredCredential> lookupAll(ByteArray credentialId) {
    return Optional.ofNullable(credentials.get(credentialId)).map(c -> Set.of(registered(c))).orElse(Set.of());
  }

  private static RegisteredCredential registered(Credential c) {
    return RegisteredCredential.builder()
        .credentialId(c.id())
        .userHandle(c.userHandle())
        .publicKeyCose(c.publicKeyCose())
        .signatureCount(c.signCount())
        .build();
  }

  /** {@code GET /api/users}: every user with their credentials. */
  synchronized ArrayNode toJson() {
    ArrayNode out = JSON.createArrayNode();
    for (User u : byName.values()) {
      var o = out.addObject();
      o.put("username", u.name());
      o.put("displayName", u.displayName());
      o.put("userHandle", u.handle().getBase64Url());
      ArrayNode creds = o.putArray("credentials");
      for (Credential c : of(u)) {
        var co = creds.addObject();
        co.put("credentialId", c.id().getBase64Url());
        co.put("aaguid", c.aaguid());
        co.put("model", c.model().orElse(null));
        co.put("format", c.format());
        co.put("algorithm", c.algorithm());
        co.put("signCount", c.signCount());
        if (c.discoverable().isPresent()) {
          co.put("discoverable", c.discoverable().get());
        } else {
          co.putNull("discoverable");
        }
      }
    }
    return out;
  }
}
