package dev.softkey.load.gatling.example;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;

import dev.softkey.load.gatling.PasskeyEndpoints;
import dev.softkey.load.gatling.PasskeyUsers;
import dev.softkey.load.gatling.Passkeys;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * The example: register {@code passkeys.users} users against softkey rp, then sign each of them in
 * with a key rebuilt from the same seed (as another injector would build it), with {@code
 * passkeys.concurrency} virtual users working at once.
 *
 * <p>The workload is closed: a fixed number of virtual users, each starting its next ceremony when
 * the last one ended, so the throughput is what the RP and the injector give. It is written as
 * {@code atOnceUsers(concurrency)} workers that each take {@code users / concurrency} users from a
 * shared feeder, rather than Gatling's {@code constantConcurrentUsers(n).during(t)}: that one runs
 * for a time, not for a number of users, and the assertions below count ceremonies exactly.
 *
 * <p>Settings (system properties, read when Gatling makes the simulation): {@code passkeys.baseUrl}
 * (default {@code http://localhost:8780}), {@code passkeys.load} ({@code light}: 6 users, 2 at once;
 * {@code heavy}: 1000 users, 8 at once), {@code passkeys.users}, {@code passkeys.concurrency},
 * {@code passkeys.profile} (default {@code yubikey-5}), {@code passkeys.runSeed} (default 1),
 * {@code passkeys.firstUser} (default 0: another injector takes another range), {@code
 * passkeys.signInRunSeed} (default the run seed; another one gives keys that do not hold the
 * users' credentials, so every sign-in must fail).
 */
public class PasskeySimulation extends Simulation {
  /** The settings of one run, from system properties. */
  public record Settings(String baseUrl, int users, int concurrency, String profile, long runSeed, long firstUser, long signInRunSeed) {
    public static Settings fromSystemProperties() {
      boolean heavy = "heavy".equals(System.getProperty("passkeys.load", "light"));
      long runSeed = Long.getLong("passkeys.runSeed", 1);
      Settings s =
          new Settings(
              System.getProperty("passkeys.baseUrl", "http://localhost:8780"),
              Integer.getInteger("passkeys.users", heavy ? 1000 : 6),
              Integer.getInteger("passkeys.concurrency", heavy ? 8 : 2),
              System.getProperty("passkeys.profile", "yubikey-5"),
              runSeed,
              Long.getLong("passkeys.firstUser", 0),
              Long.getLong("passkeys.signInRunSeed", runSeed));
      if (s.concurrency < 1 || s.users < s.concurrency || s.users % s.concurrency != 0) {
        throw new IllegalArgumentException(
            "passkeys.users (" + s.users + ") must be a multiple of passkeys.concurrency (" + s.concurrency + "), which must be at least 1");
      }
      return s;
    }

    /** Requests of the whole run: two per ceremony, two ceremonies per user. */
    public long requests() {
      return 4L * users;
    }
  }

  public PasskeySimulation() {
    Settings s = Settings.fromSystemProperties();
    PasskeyEndpoints rp = PasskeyEndpoints.softkeyRp(s.baseUrl());
    PasskeyUsers users = PasskeyUsers.of(s.profile(), s.runSeed());
    // the same user names; the keys come from the sign-in run seed (the run seed unless a test says otherwise)
    PasskeyUsers signInUsers = PasskeyUsers.of(users.profile(), s.signInRunSeed()).withUsernames((run, i) -> users.username(i));
    int each = s.users() / s.concurrency();

    ScenarioBuilder register =
        scenario("register").repeat(each).on(feed(PasskeyUsers.feeder(s.firstUser(), s.users())).exec(Passkeys.key(users), Passkeys.register(rp)));
    ScenarioBuilder signIn =
        scenario("sign-in").repeat(each).on(feed(PasskeyUsers.feeder(s.firstUser(), s.users())).exec(Passkeys.key(signInUsers), Passkeys.signIn(rp)));

    setUp(register.injectOpen(atOnceUsers(s.concurrency())).andThen(signIn.injectOpen(atOnceUsers(s.concurrency()))))
        .protocols(http.acceptHeader("application/json"))
        .assertions(
            global().allRequests().count().is(s.requests()),
            global().successfulRequests().percent().is(100.0),
            details(Passkeys.REGISTER_GROUP, "register verify").successfulRequests().count().is((long) s.users()),
            details(Passkeys.SIGN_IN_GROUP, "sign-in verify").successfulRequests().count().is((long) s.users()));
  }
}
