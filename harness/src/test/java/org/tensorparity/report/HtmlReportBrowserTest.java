package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.testing.FixturePairs;

/**
 * The HTML report in a real browser: Debian's Chromium, driven through Debian's chromedriver, both named
 * by path so Selenium never looks for (or downloads) a browser or driver of its own. The page is opened
 * from a {@code file://} URL, as a CI artifact is; the test fails on any console message of error level
 * and on any network request other than the file itself.
 *
 * <p>Skipped, with the reason, where the two are not installed ({@code .ci/run} installs them).
 */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();
    /** The window the existing page checks use; the smallest of the widths the tables must fit. */
    private static final int LAPTOP_WIDTH = 1280;
    /** A full-HD monitor's window, where the page's main column has long reached its widest. */
    private static final int DESKTOP_WIDTH = 1920;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Selenium warns that it has no DevTools bindings for this Chromium; the test uses none. Held: loggers are weak. */
    private static final java.util.logging.Logger CDP_WARNINGS =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    private ChromeDriver driver;

    @BeforeAll
    static void browserInstalled() {
        CDP_WARNINGS.setLevel(java.util.logging.Level.SEVERE);
        // CI installs Chromium (.ci/run); there a missing browser is a broken setup, not a reason to skip.
        if ("true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assertions.assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                    "CI must have " + CHROMIUM + " and " + CHROMEDRIVER);
        }
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests need Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver):"
                        + " apt-get install chromium chromium-driver");
    }

    @AfterEach
    void quit() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void aFailingReportOpensFromAFileAndDrillsIntoAFailingLayer() throws Exception {
        ParityReport report = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        Path html = FixturePairs.scratch("browser").resolve("report.html");
        new HtmlReportWriter().write(report, html);
        String url = html.toUri().toString();
        driver = start(LAPTOP_WIDTH);
        driver.get(url);

        assertEquals("FAIL", driver.findElement(By.id("verdict")).getText());
        assertEquals(report.summary(), driver.findElement(By.id("story")).getText());
        List<WebElement> rows = driver.findElements(By.cssSelector("#layer-table tbody tr"));
        assertEquals(report.layers().size(), rows.size(), "one row per aligned layer");
        assertEquals(report.layers().size() + " layers", driver.findElement(By.id("layer-shown")).getText());

        int first = report.firstDivergence().index();
        WebElement drill = driver.findElement(By.id("layer-" + first));
        assertFalse(drill.isDisplayed(), "drill-downs stay closed until asked for");
        WebElement row = driver.findElement(By.cssSelector("#layer-table tr[data-target='layer-" + first + "']"));
        assertTrue(row.getAttribute("class").contains("first"), "the first divergence is highlighted");
        row.findElements(By.tagName("td")).get(3).click(); // the max |a-b| cell: a click on the row, not on its link
        new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> drill.isDisplayed());
        assertTrue(drill.getText().contains(report.firstDivergence().onnx()));
        assertTrue(drill.getText().contains("Largest |a-b| per channel"));
        assertTrue(drill.findElement(By.cssSelector("svg.histogram")).isDisplayed());
        assertTrue(drill.getText().contains("worst channel 0:"), drill.getText());
        ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        screenshot("report-failing.png");

        new org.openqa.selenium.interactions.Actions(driver).sendKeys(org.openqa.selenium.Keys.ESCAPE).perform();
        new WebDriverWait(driver, Duration.ofSeconds(5)).until(d -> !drill.isDisplayed());

        // Filter to failing layers, then search by name, then sort by normalized error.
        long failing = report.layers().stream().filter(l -> l.verdict() == Verdict.FAIL).count();
        driver.findElement(By.id("layer-failing")).click();
        assertEquals(failing, visibleRows().size());
        driver.findElement(By.id("layer-failing")).click();
        driver.findElement(By.id("layer-search")).sendKeys("MAXPOOL");
        List<String> found = visibleRows().stream().map(r -> r.getAttribute("data-tflite")).toList();
        assertEquals(report.layers().stream().map(LayerResult::tflite).filter(n -> n.toLowerCase().contains("maxpool")).toList(),
                found);
        driver.findElement(By.id("layer-search")).clear();
        driver.findElement(By.id("layer-search")).sendKeys(" ");
        driver.findElement(By.cssSelector("th[data-key='normalized']")).click();
        driver.findElement(By.cssSelector("th[data-key='normalized']")).click(); // descending
        String worst = report.layers().stream().filter(l -> l.metrics() != null)
                .max((a, b) -> Double.compare(a.metrics().normalizedMaxError(), b.metrics().normalizedMaxError()))
                .orElseThrow().tflite();
        assertEquals(worst, visibleRows().get(0).getAttribute("data-tflite"));

        assertNoConsoleErrorsAndNoRequestsBut(url);
    }

    @Test
    void hostileTensorNamesAreShownAsTextAndRunNothing() throws Exception {
        ParityReport report = ReportRuns.hostile();
        Path html = FixturePairs.scratch("browser-hostile").resolve("report.html");
        new HtmlReportWriter().write(report, html);
        driver = start(LAPTOP_WIDTH);
        driver.get(html.toUri().toString());

        assertEquals(HostileModels.SCRIPT_NAME,
                driver.findElement(By.cssSelector("#divergence .pair code")).getText(), "the name, as text");
        assertEquals(0L, ((JavascriptExecutor) driver).executeScript("return document.querySelectorAll('img').length"));
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
        driver.findElement(By.cssSelector("a.jump")).click();
        assertTrue(driver.findElement(By.id("layer-" + report.firstDivergence().index())).getText()
                .contains(HostileModels.SCRIPT_NAME));
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
        assertNoConsoleErrorsAndNoRequestsBut(html.toUri().toString());
    }

    /**
     * Real conversions whose tables issue 37 found scrolling sideways: a detector's layer table hid everything past
     * max |a-b| (YOLOX, int8, also with "Where quantization hurts"); Keras fused names of 600 characters
     * (UltraFace); tf2onnx's StatefulPartitionedCall names and outputs split per anchor grid (BlazeFace); onnx2tf's
     * int8 GTCRN, with long names on both sides of "Where quantization hurts". At both window widths every table
     * fits with its verdict column in view, no name breaks mid-word, and a name cut short is still found by search.
     */
    @ParameterizedTest
    @ValueSource(strings = {"yolox-nano-int8", "ultraface-slim320", "blazeface-front", "gtcrn-micro-integer"})
    void everyTableFitsTheWindowWithItsVerdictInView(String pair) throws Exception {
        ParityReport report = ReportRuns.realPair(pair);
        Path html = FixturePairs.scratch("browser-width").resolve(pair + ".html");
        new HtmlReportWriter().write(report, html);
        driver = start(LAPTOP_WIDTH);
        driver.get(html.toUri().toString());

        for (int width : new int[] {LAPTOP_WIDTH, DESKTOP_WIDTH}) {
            driver.manage().window().setSize(new Dimension(width, 900));
            @SuppressWarnings("unchecked")
            Map<String, Object> page = (Map<String, Object>) ((JavascriptExecutor) driver).executeScript(LAYOUT);
            String at = pair + " at " + width + " px: ";
            long viewport = ((Number) page.get("viewport")).longValue();
            assertEquals(width, viewport, at + "the window's page width");
            assertTrue(((Number) page.get("pageWidth")).longValue() <= viewport, at + "the page scrolls sideways: " + page);
            assertEquals(List.of(), page.get("scrollingTables"), at + "tables that scroll sideways");
            @SuppressWarnings("unchecked")
            List<Number> verdictEdges = (List<Number>) page.get("verdictEdges");
            assertEquals(2, verdictEdges.size(), at + "the verdict columns of the outputs and the layers");
            for (Number right : verdictEdges) {
                assertTrue(right.doubleValue() <= viewport, at + "a verdict column ends at " + right + ", beyond the window");
            }
            assertEquals(List.of(), page.get("namePartsOnTwoLines"), at + "names broken mid-word");
            ((JavascriptExecutor) driver).executeScript("document.getElementById('layers').scrollIntoView()");
            screenshot("report-" + pair + "-" + width + ".png");
        }

        // The name the layer table cuts the most is still what search finds, by a part the table does not show.
        LayerResult longest = report.layers().stream().max(Comparator.comparingInt(l -> l.tflite().length())).orElseThrow();
        String middle = longest.tflite().substring(longest.tflite().length() / 2 - 6, longest.tflite().length() / 2 + 6);
        WebElement row = driver.findElement(By.cssSelector("#layer-table tr[data-index='" + longest.index() + "']"));
        assertEquals(longest.tflite(), row.findElement(By.cssSelector(".name[title]:not(a)")).getAttribute("title"),
                "the full name on hover");
        driver.findElement(By.id("layer-search")).sendKeys(middle);
        assertTrue(visibleRows().contains(row), () -> "searching '" + middle + "' finds " + longest.tflite());
        assertNoConsoleErrorsAndNoRequestsBut(html.toUri().toString());
    }

    /**
     * What the width test reads off the page: the page's and the viewport's widths, the tables whose container
     * scrolls, where each verdict header ends, and the parts of names (the text between two {@code <wbr>}) that
     * take more than one line, which only a break inside a word makes.
     */
    private static final String LAYOUT = """
            const page = document.documentElement;
            const scrolling = [];
            for (const wrap of document.querySelectorAll('.table-wrap')) {
              if (wrap.scrollWidth > wrap.clientWidth) {
                scrolling.push(wrap.closest('section').id + ': ' + wrap.scrollWidth + ' > ' + wrap.clientWidth);
              }
            }
            const verdicts = [];
            for (const th of document.querySelectorAll('main table.grid thead th')) {
              if (th.textContent.trim() === 'verdict') {
                verdicts.push(th.getBoundingClientRect().right);
              }
            }
            const split = [];
            const range = document.createRange();
            for (const name of document.querySelectorAll('main .name')) {
              for (const part of name.childNodes) {
                range.selectNodeContents(part);
                if (part.nodeType === Node.TEXT_NODE && range.getClientRects().length > 1) {
                  split.push(part.textContent);
                }
              }
            }
            return {viewport: page.clientWidth, pageWidth: page.scrollWidth, scrollingTables: scrolling,
                verdictEdges: verdicts, namePartsOnTwoLines: split};
            """;

    private List<WebElement> visibleRows() {
        List<WebElement> visible = new ArrayList<>();
        for (WebElement r : driver.findElements(By.cssSelector("#layer-table tbody tr"))) {
            if (r.isDisplayed()) {
                visible.add(r);
            }
        }
        return visible;
    }

    private ChromeDriver start(int width) throws Exception {
        Path profile = Files.createTempDirectory(FixturePairs.scratch("chromium"), "profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=" + width + ",900", "--hide-scrollbars");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL", LogType.PERFORMANCE, "ALL"));
        // An explicit driver executable: Selenium's DriverFinder then never runs Selenium Manager.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(new File("target/chromedriver.log")).build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        chrome.manage().window().setSize(new Dimension(width, 900));
        // What the browser loaded for itself before the test's page (its start page) is not the report's doing.
        chrome.manage().logs().get(LogType.PERFORMANCE);
        chrome.manage().logs().get(LogType.BROWSER);
        return chrome;
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    }

    private void assertNoConsoleErrorsAndNoRequestsBut(String url) throws Exception {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                errors.add(e.getLevel() + " " + e.getMessage());
            }
        }
        assertEquals(List.of(), errors, "console messages");
        List<String> requests = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = JSON.readTree(e.getMessage()).get("message");
            // Only what the report's own document loads: the browser's start page (chrome:// resources of its
            // new-tab page, which some Chromium builds keep loading after it is left) is not the report's doing.
            if (message.get("method").asText().equals("Network.requestWillBeSent")
                    && message.at("/params/documentURL").asText().replaceFirst("#.*$", "").equals(url)) {
                requests.add(message.at("/params/request/url").asText());
            }
        }
        assertFalse(requests.isEmpty(), "the performance log records requests");
        for (String r : requests) {
            assertEquals(url, r.replaceFirst("#.*$", ""), "requests: " + requests);
        }
    }
}
