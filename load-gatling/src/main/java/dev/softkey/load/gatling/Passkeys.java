package dev.softkey.load.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.softkey.platform.WebAuthnException;
import dev.softkey.testkit.VirtualKey;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.Optional;

/**
 * Gatling Java DSL building blocks for passkey load tests: each virtual user holds its own softkey
 * virtual key and runs WebAuthn registration and sign-in against an RP's HTTP endpoints.
 *
 * <pre>{@code
 * PasskeyUsers users = PasskeyUsers.of("yubikey-5", runSeed);
 * PasskeyEndpoints rp = PasskeyEndpoints.softkeyRp("http://localhost:8780");
 * scenario("register then sign in")
 *     .feed(PasskeyUsers.feeder(0, 1000))
 *     .exec(Passkeys.key(users), Passkeys.register(rp), Passkeys.signIn(rp));
 * }</pre>
 *
 * <p>A ceremony is the group {@code passkey register} (or {@code passkey sign-in}) of two requests:
 * the options request ({@code register options}: its answer must be 200 and hold the options and
 * the ceremony id), the key's create (or get) in a session function, and the verify request
 * ({@code register verify}: 200 and the verdict true). When the key refuses (a WebAuthn error such
 * as NotAllowedError), no verify is sent and the verify request is counted as failed with the
 * key's error as its message, so Gatling's assertions see it.
 *
 * <p>The user index: the session attribute {@link #USER_INDEX} when a feeder set it ({@link
 * PasskeyUsers#feeder}), otherwise Gatling's {@code userId}. The feeder is the one to use: Gatling
 * numbers its virtual users per JVM and across all the scenarios of a run, so a sign-in scenario
 * that follows the registration one gets new numbers, and two injectors both start at 1; a feeder
 * gives the sign-in the indexes the registration used and each injector a range of its own.
 */
public final class Passkeys {
  /** Session attribute: the user's index (a feeder's, or set by {@link #key}). */
  public static final String USER_INDEX = "passkeyUserIndex";

  /** Session attribute: the user's {@link VirtualKey}. */
  public static final String KEY = "passkeyKey";

  /** Session attribute: the user's name. */
  public static final String USERNAME = "passkeyUsername";

  /** Session attribute: the options JSON of the ceremony in progress. */
  public static final String OPTIONS = "passkeyOptions";

  /** Session attribute: the ceremony id of the ceremony in progress. */
  public static final String CEREMONY_ID = "passkeyCeremonyId";

  /** Session attribute: the credential JSON the key answered. */
  public static final String CREDENTIAL = "passkeyCredential";

  /** Session attribute: why the key refused the ceremony in progress. */
  public static final String KEY_ERROR = "passkeyKeyError";

  /** The group of a registration's requests. */
  public static final String REGISTER_GROUP = "passkey register";

  /** The group of a sign-in's requests. */
  public static final String SIGN_IN_GROUP = "passkey sign-in";

  private Passkeys() {}

  /**
   * Puts user {@code i}'s key in the session ({@link #KEY}), built from {@code profile} and seeded
   * with {@code VirtualKey.userSeed(runSeed, i)}, and the user name ({@link #USERNAME}). {@code i}
   * is {@link #USER_INDEX} if a feeder set it, else the session's userId.
   */
  public static ChainBuilder key(String profile, long runSeed) {
    return key(PasskeyUsers.of(profile, runSeed));
  }

  /** {@link #key(String, long)} for configured users (a PIN, user names). */
  public static ChainBuilder key(PasskeyUsers users) {
    return exec(session -> {
      long index = session.contains(USER_INDEX) ? ((Number) session.get(USER_INDEX)).longValue() : session.userId();
      VirtualKey old = session.get(KEY);
      if (old != null) {
        old.close();
      }
      VirtualKey key = KeyMeter.global().measure(KeyMeter.Work.KEY, () -> users.key(index));
      return session.set(KEY, key).set(USERNAME, users.username(index)).set(USER_INDEX, index);
    });
  }

  /** A registration against softkey rp at {@code baseUrl} ({@link PasskeyEndpoints#softkeyRp}). */
  public static ChainBuilder register(String baseUrl) {
    return register(PasskeyEndpoints.softkeyRp(baseUrl));
  }

  /** A registration: options, the key's create, verify; the group {@link #REGISTER_GROUP}. */
  public static ChainBuilder register(PasskeyEndpoints rp) {
    return ceremony(
        REGISTER_GROUP,
        "register",
        http("register options").post(rp.registerOptionsUrl()).body(StringBody(session -> rp.registerOptionsBody(username(session)))),
        KeyMeter.Work.CREATE,
        rp,
        rp.registerVerifyUrl());
  }

  /** A sign-in against softkey rp at {@code baseUrl}. */
  public static ChainBuilder signIn(String baseUrl) {
    return signIn(PasskeyEndpoints.softkeyRp(baseUrl));
  }

  /** A sign-in: options, the key's get, verify; the group {@link #SIGN_IN_GROUP}. */
  public static ChainBuilder signIn(PasskeyEndpoints rp) {
    return ceremony(
        SIGN_IN_GROUP,
        "sign-in",
        http("sign-in options").post(rp.signInOptionsUrl()).body(StringBody(session -> rp.signInOptionsBody(username(session)))),
        KeyMeter.Work.GET,
        rp,
        rp.signInVerifyUrl());
  }

  private static ChainBuilder ceremony(String group, String name, HttpRequestActionBuilder options, KeyMeter.Work work, PasskeyEndpoints rp, String verifyUrl) {
    HttpRequestActionBuilder optionsRequest = options.asJson().check(status().is(200), jmesPath(rp.optionsPath()).saveAs(OPTIONS));
    if (rp.ceremonyIdPath().isPresent()) {
      optionsRequest = optionsRequest.check(jmesPath(rp.ceremonyIdPath().get()).saveAs(CEREMONY_ID));
    }
    HttpRequestActionBuilder verify =
        http(name + " verify")
            .post(verifyUrl)
            .body(StringBody(session -> rp.verifyBody(Optional.ofNullable(session.getString(CEREMONY_ID)), credential(session))))
            .asJson()
            .check(status().is(200), jmesPath(rp.okPath()).ofBoolean().is(true));
    return group(group)
        .on(
            exec(session -> session.removeAll(OPTIONS, CEREMONY_ID, CREDENTIAL, KEY_ERROR))
                .exec(optionsRequest)
                // a failed options request is already counted; the ceremony ends there
                .doIf(session -> session.contains(OPTIONS))
                .then(exec(session -> runKey(session, work, rp.origin())).exec(verify)));
  }

  private static Session runKey(Session session, KeyMeter.Work work, String origin) {
    VirtualKey key = session.get(KEY);
    if (key == null) {
      return session.set(KEY_ERROR, "no virtual key in the session: exec Passkeys.key(...) before the ceremony");
    }
    String options = session.getString(OPTIONS);
    try {
      String credential = KeyMeter.global().measure(work, () -> work == KeyMeter.Work.CREATE ? key.create(options, origin) : key.get(options, origin));
      return session.set(CREDENTIAL, credential);
    } catch (WebAuthnException e) {
      return session.set(KEY_ERROR, "the virtual key refused: " + e.name() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return session.set(KEY_ERROR, "the virtual key failed: " + e);
    }
  }

  private static String username(Session session) {
    String name = session.getString(USERNAME);
    if (name == null) {
      throw new IllegalStateException("no user in the session: exec Passkeys.key(...) before the ceremony");
    }
    return name;
  }

  /** The credential for the verify body, or the key's refusal (the verify then counts as failed). */
  private static String credential(Session session) {
    String error = session.getString(KEY_ERROR);
    if (error != null) {
      throw new IllegalStateException(error);
    }
    return session.getString(CREDENTIAL);
  }
}
