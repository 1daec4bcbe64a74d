package dev.softkey.rp.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/** softkey rp's page (docs: the element ids of rp-api's "The page") as a browser test drives it. */
final class RpPage {
  private static final Set<String> DONE = Set.of("ok", "refused", "error");

  private final WebDriver driver;
  private final Duration timeout;

  RpPage(WebDriver driver, Duration timeout) {
    this.driver = driver;
    this.timeout = timeout;
  }

  /** Loads the page and waits until it shows the policy in force. */
  RpPage open(String origin) {
    driver.get(origin + "/");
    if (driver.findElements(By.id("result")).isEmpty() || driver.findElements(By.id("policy")).isEmpty()) {
      throw new AssertionError(origin + "/ has no #result or #policy element: it is not the page rp-api.md describes"
          + " (branch rp's page has not landed in this build)");
    }
    new WebDriverWait(driver, timeout).until(d -> !d.findElement(By.id("policy")).getText().isBlank());
    return this;
  }

  /** Fills the form and presses Register; answers the result's data-state once it is final. */
  String register(String username, boolean discoverable, String uv, String attestation) {
    typeUsername(username);
    WebElement box = driver.findElement(By.id("discoverable"));
    if (box.isSelected() != discoverable) {
      box.click();
    }
    new Select(driver.findElement(By.id("uv"))).selectByValue(uv);
    new Select(driver.findElement(By.id("attestation"))).selectByValue(attestation);
    return press("register");
  }

  /** Presses Sign in with the username typed, or with the field empty (null: a discoverable sign-in). */
  String signIn(String username) {
    typeUsername(username == null ? "" : username);
    return press("signin");
  }

  /** The text of the element with this id. */
  String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  String state() {
    return driver.findElement(By.id("result")).getAttribute("data-state");
  }

  /** A PNG of the page as it is now, into {@code file}. */
  void screenshot(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void typeUsername(String username) {
    WebElement field = driver.findElement(By.id("username"));
    field.clear();
    if (!username.isEmpty()) {
      field.sendKeys(username);
    }
  }

  private String press(String button) {
    // The previous ceremony's final state must not be read as this one's: mark the result as
    // unknown first; the page sets "working" when the button starts its ceremony.
    ((JavascriptExecutor) driver).executeScript("document.getElementById('result').setAttribute('data-state', 'pressed')");
    driver.findElement(By.id(button)).click();
    return new WebDriverWait(driver, timeout).until(d -> {
      String s = state();
      return DONE.contains(s) ? s : null;
    });
  }
}
