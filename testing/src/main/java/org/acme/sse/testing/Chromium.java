package org.acme.sse.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

/**
 * One headless Chromium per test class, one fresh browser context per page.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final Chromium chromium = new Chromium();
 * ...
 * Page page = chromium.newPage();
 * </pre>
 *
 * Which Chromium: the binary named by the environment variable {@code CHROMIUM_PATH}, else Debian's
 * {@code /usr/bin/chromium}, else the browser Playwright downloads itself (needs internet). If none can be
 * launched, the test fails with a message that says how to get one: a browser test never passes silently.
 *
 * After each test, an uncaught error in a page script fails the test: it would be a bug a user sees.
 */
public final class Chromium implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

    public static final String PATH_VARIABLE = "CHROMIUM_PATH";
    private static final Path DEBIAN_CHROMIUM = Paths.get("/usr/bin/chromium");

    // The flags a headless Chromium needs as root on a closed network (no calls home, no sandbox).
    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");

    // Waits for a page to show something are conditions, not sleeps: a long limit costs nothing when the page is
    // quick, and keeps a slow, busy machine from failing a test that is right. (Playwright's defaults: 30 s for
    // an action, 5 s for an assertion.)
    private static final double ACTION_TIMEOUT_MS = 20_000;
    private static final double ASSERTION_TIMEOUT_MS = 15_000;

    private Playwright playwright;
    private Browser browser;
    private final List<BrowserContext> contexts = new ArrayList<>();
    private final List<String> pageErrors = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        PlaywrightAssertions.setDefaultAssertionTimeout(ASSERTION_TIMEOUT_MS);
        Path executable = systemChromium();
        Map<String, String> env = new HashMap<>();
        if (executable != null) {
            // A system browser is used, so Playwright must not try to download its own.
            env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        }
        BrowserType.LaunchOptions options = new BrowserType.LaunchOptions().setHeadless(true).setArgs(ARGS);
        if (executable != null) {
            options.setExecutablePath(executable);
        }
        try {
            playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
            browser = playwright.chromium().launch(options);
        } catch (RuntimeException e) { // PlaywrightException, or the driver's "Failed to install browsers"
            close();
            throw new AssertionError("Could not launch Chromium"
                    + (executable == null ? " (no system Chromium found, Playwright's own browser failed)" : " at " + executable)
                    + ". Install one (Debian: apt-get install -y chromium) or set " + PATH_VARIABLE
                    + " to a Chromium or Chrome binary. Cause: " + e.getMessage(), e);
        }
    }

    private static Path systemChromium() {
        String configured = System.getenv(PATH_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            Path path = Paths.get(configured);
            if (!Files.isExecutable(path)) {
                throw new AssertionError(PATH_VARIABLE + " is set to " + configured + ", which is not an executable file");
            }
            return path;
        }
        return Files.isExecutable(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : null;
    }

    /** A new page in its own context (own cookies, own connections), closed after the test. */
    public Page newPage() {
        return newPage(new Browser.NewContextOptions());
    }

    /**
     * A new page, as {@link #newPage()}, that accepts any TLS certificate: for a server with a
     * {@link SelfSignedCertificate}. Never outside tests.
     */
    public Page newPageIgnoringCertificateErrors() {
        return newPage(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true));
    }

    private Page newPage(Browser.NewContextOptions options) {
        BrowserContext context = browser.newContext(options);
        contexts.add(context);
        Page page = context.newPage();
        page.setDefaultTimeout(ACTION_TIMEOUT_MS);
        page.onPageError(error -> pageErrors.add(error));
        // Shown in the test output, not failed on: a page may log an expected 4xx.
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                System.err.println("[chromium console] " + message.text() + " (" + message.location() + ")");
            }
        });
        return page;
    }

    public Browser browser() {
        return browser;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
        List<String> errors = new ArrayList<>(pageErrors);
        pageErrors.clear();
        if (!errors.isEmpty()) {
            throw new AssertionError("Uncaught errors in the page: " + errors);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void close() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
        if (playwright != null) {
            playwright.close();
            playwright = null;
        }
    }
}
