package io.sagaz.fleet.app.it.console;

import io.sagaz.fleet.testkit.MissingTool;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven through the machine's chromedriver, as an operator's browser. The two are
 * Debian's {@code chromium} and {@code chromium-driver} packages ({@code .ci/run} installs them); the
 * driver is named explicitly so Selenium never tries to download one. {@code SAGAZ_TEST_CHROMEDRIVER}
 * and {@code SAGAZ_TEST_CHROMIUM} point elsewhere.
 */
final class Browser implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final WebDriver driver;

  private Browser(WebDriver driver) {
    this.driver = driver;
  }

  static Browser start() {
    Path chromedriver = executable("SAGAZ_TEST_CHROMEDRIVER", "chromedriver");
    ChromeOptions options = new ChromeOptions().addArguments("--headless=new", "--no-sandbox",
        "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1000");
    options.setBinary(executable("SAGAZ_TEST_CHROMIUM", "chromium", "chromium-browser", "google-chrome").toFile());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options));
  }

  private static Path executable(String env, String... names) {
    List<Path> candidates = new ArrayList<>();
    Optional.ofNullable(System.getenv(env)).filter(s -> !s.isBlank()).map(Path::of).ifPresent(candidates::add);
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : names) {
        if (!dir.isBlank()) {
          candidates.add(Path.of(dir, name));
        }
      }
    }
    return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> MissingTool.of(
        names[0] + " is not installed: the console test drives a real headless Chromium (" + env
            + " or PATH). Install it, e.g. `apt-get install -y chromium chromium-driver`."));
  }

  void open(String url) {
    driver.get(url);
  }

  WebElement find(String css) {
    return until(d -> d.findElement(By.cssSelector(css)));
  }

  /** The element's text once it contains {@code expected}; fails with the text it had. */
  String awaitText(String css, String expected) {
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.withMessage(() -> css + " never showed '" + expected + "'; it shows: " + textOf(css));
    wait.until(d -> textOf(css).contains(expected));
    return textOf(css);
  }

  String textOf(String css) {
    List<WebElement> found = driver.findElements(By.cssSelector(css));
    return found.isEmpty() ? "(no such element)" : found.get(0).getText();
  }

  void click(String css) {
    until(d -> {
      WebElement e = d.findElement(By.cssSelector(css));
      return e.isDisplayed() && e.isEnabled() ? e : null;
    }).click();
  }

  /** Accepts the confirm() an action asks, returning what it asked. */
  String accept() {
    var alert = new WebDriverWait(driver, WAIT).until(d -> d.switchTo().alert());
    String text = alert.getText();
    alert.accept();
    return text;
  }

  /**
   * Saves what the page shows as a PNG when {@code -Dsagaz.console.screenshots=DIR} is given, so a
   * person can look at the console the test saw; otherwise does nothing.
   */
  void screenshot(String name, String css) {
    String dir = System.getProperty("sagaz.console.screenshots");
    if (dir == null || dir.isBlank()) {
      return;
    }
    ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", find(css));
    try {
      Path target = Files.createDirectories(Path.of(dir)).resolve(name + ".png");
      Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  void type(String css, String text) {
    WebElement e = find(css);
    e.clear();
    e.sendKeys(text);
  }

  <T> T until(Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT).ignoring(org.openqa.selenium.NoSuchElementException.class).until(condition::apply);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
